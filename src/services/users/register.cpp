// The users service: /api/v1/users over the accounts module (src/accounts).
#include <memory>

#include "accounts/accounts.hpp"
#include "core/router.hpp"
#include "services/users/routes.hpp"

namespace o4o::services::users {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  // Before /users/:id, so that /users/creator-requests is not taken for a user's id.
  add_account_admin_routes(router, std::make_shared<AccountAdmin>(ctx));
  add_users_routes(router, std::make_shared<UsersService>(ctx));
}

// No demo data of its own: the demo accounts are the accounts module's.
void seed(core::AppContext&, const accounts::DemoAccounts&) {}

}  // namespace o4o::services::users
