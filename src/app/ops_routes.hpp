#pragma once
#include "core/app_context.hpp"
#include "core/metrics.hpp"
#include "core/router.hpp"

namespace o4o::app {
// /healthz, /readyz, /metrics, /api/v1/config, /api/v1/openapi.json
void register_ops_routes(core::Router& router, core::AppContext& ctx, core::Metrics& metrics,
                         std::vector<std::string> mounted_services);
}  // namespace o4o::app
