// The auth service: /api/v1/auth (accounts are shared by every service).
#include <memory>

#include "app/service_registry.hpp"
#include "core/password.hpp"
#include "core/router.hpp"
#include "services/auth/routes.hpp"

namespace o4o::services::auth {

void register_routes(core::Router& router, core::AppContext& ctx) {
  // Computed once now rather than on the first login for an unknown email, so that first answer
  // is not slower than the others.
  (void)core::dummy_password_hash();
  add_auth_routes(router, ctx, std::make_shared<AuthService>(ctx));
}

// The demo accounts are created by the app (core::upsert_user); auth has no other demo data.
void seed(core::AppContext&, const app::SeedAccounts&) {}

}  // namespace o4o::services::auth
