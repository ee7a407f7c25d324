#pragma once
#include <memory>

#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/forum/service.hpp"

namespace o4o::services::forum {

// Mounts /api/v1/forum/... on the router; handlers share the service.
void add_routes(core::Router& router, core::AppContext& ctx, std::shared_ptr<ForumService> service);

}  // namespace o4o::services::forum
