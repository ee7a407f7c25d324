#pragma once
#include <memory>

#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/signage/display_service.hpp"
#include "services/signage/stream_hub.hpp"

namespace o4o::services::signage {

// What the routes share: the service and this instance's stream hub (declared after the service,
// so it goes first).
struct SignageModule {
  explicit SignageModule(core::AppContext& ctx)
      : service(ctx.db, ctx.clock, ctx.pubsub),
        hub(std::make_shared<StreamHub>(
            service, ctx.pubsub, static_cast<std::size_t>(ctx.config.streams_per_display))) {}
  DisplayService service;
  std::shared_ptr<StreamHub> hub;
};

void add_routes(core::Router& router, const std::shared_ptr<SignageModule>& module);

}  // namespace o4o::services::signage
