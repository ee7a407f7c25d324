// The forum service's entry points: its routes and its demo data.
#include <memory>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/forum/routes.hpp"
#include "services/forum/seed.hpp"
#include "services/forum/service.hpp"

namespace o4o::services::forum {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  add_routes(router, ctx, std::make_shared<ForumService>(ctx.db, ctx.clock));
}

void seed(core::AppContext& ctx, const accounts::DemoAccounts& demo) {
  ForumService service(ctx.db, ctx.clock);
  seed_demo(service, demo);
}

}  // namespace o4o::services::forum
