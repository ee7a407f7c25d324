// The auth service: /api/v1/auth (accounts are shared by every service).
#include <memory>
#include <thread>

#include "accounts/accounts.hpp"
#include "core/password.hpp"
#include "core/router.hpp"
#include "services/auth/routes.hpp"

namespace o4o::services::auth {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  // Computed once, right away, rather than on the first login for an unknown email, so that first
  // answer is not slower than the others; in the background, because an Argon2id hash would
  // otherwise add its whole cost to the time from start to first answer.
  std::thread([] { (void)core::dummy_password_hash(); }).detach();
  add_auth_routes(router, std::make_shared<AuthService>(ctx));
  add_recovery_routes(router, std::make_shared<RecoveryService>(ctx));
}

// The demo accounts are the accounts module's (accounts::seed_demo_accounts); auth has no
// other demo data.
void seed(core::AppContext&, const accounts::DemoAccounts&) {}

}  // namespace o4o::services::auth
