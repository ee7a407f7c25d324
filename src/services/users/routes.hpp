#pragma once
#include <memory>

#include "core/router.hpp"
#include "services/users/users_service.hpp"

namespace o4o::services::users {

// GET /api/v1/users and GET/PUT/DELETE /api/v1/users/:id.
void add_users_routes(core::Router& router, core::AppContext& ctx,
                      std::shared_ptr<UsersService> service);

}  // namespace o4o::services::users
