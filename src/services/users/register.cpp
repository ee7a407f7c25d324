// The users service: /api/v1/users (accounts themselves belong to auth; see services/auth).
#include <memory>

#include "app/service_registry.hpp"
#include "core/router.hpp"
#include "services/users/routes.hpp"

namespace o4o::services::users {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  add_users_routes(router, ctx, std::make_shared<UsersService>(ctx));
}

// No demo data of its own: the demo accounts are created by the app.
void seed(core::AppContext&, const app::SeedAccounts&) {}

}  // namespace o4o::services::users
