// The forum service's entry points: its routes and its demo data.
#include <memory>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/forum/routes.hpp"
#include "services/forum/service.hpp"

namespace o4o::services::forum {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  add_routes(router, ctx, std::make_shared<ForumService>(ctx.db, ctx.clock, &ctx.cache));
}

// seed(): seed.cpp.

}  // namespace o4o::services::forum
