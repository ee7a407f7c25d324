// The signage service: displays, their content and schedules, and live pushes to players.

#include "accounts/accounts.hpp"
#include "services/signage/routes.hpp"

namespace o4o::services::signage {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  auto module = std::make_shared<SignageModule>(ctx);
  module->hub->start();
  ctx.on_shutdown([module] { module->hub->stop(); });
  add_routes(router, module);
}

// seed(): seed.cpp.

}  // namespace o4o::services::signage
