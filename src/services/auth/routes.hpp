#pragma once
#include <memory>

#include "core/router.hpp"
#include "services/auth/auth_service.hpp"
#include "services/auth/recovery_service.hpp"

namespace o4o::services::auth {

// POST /register, /login, /refresh, /logout and GET /me under /api/v1/auth.
void add_auth_routes(core::Router& router, std::shared_ptr<AuthService> service);

// POST /verify-email/request, /verify-email, /password/forgot and /password/reset.
void add_recovery_routes(core::Router& router, std::shared_ptr<RecoveryService> service);

}  // namespace o4o::services::auth
