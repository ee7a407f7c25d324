#pragma once
#include <memory>

#include "core/app_context.hpp"
#include "core/router.hpp"
#include "service.hpp"

namespace o4o::services::crowdfunding {

// Adds every /api/v1/crowdfunding route; the handlers share the service.
void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<CrowdfundingService> service);

}  // namespace o4o::services::crowdfunding
