#pragma once
#include <memory>

#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/payments/service.hpp"

namespace o4o::services::payments {

void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<PaymentService> service);

}  // namespace o4o::services::payments
