#pragma once
#include <memory>

#include "core/router.hpp"
#include "services/users/account_admin.hpp"
#include "services/users/users_service.hpp"

namespace o4o::services::users {

// GET /api/v1/users and GET/PUT/DELETE /api/v1/users/:id.
void add_users_routes(core::Router& router, std::shared_ptr<UsersService> service);

// /users/me/creator-request, /users/creator-requests, /users/:id/creator-request/approve|reject
// and GET /api/v1/admin/outbox.
void add_account_admin_routes(core::Router& router, std::shared_ptr<AccountAdmin> admin);

}  // namespace o4o::services::users
