#pragma once
// HTTP routes of /api/v1/ecommerce: thin handlers that authenticate, read the request into
// domain values, call the service and render the answer.
#include <memory>

#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/ecommerce/order_service.hpp"
#include "services/ecommerce/product_service.hpp"

namespace o4o::services::ecommerce {

inline constexpr const char* kBase = "/api/v1/ecommerce";

void add_product_routes(core::Router& router, core::AppContext& ctx,
                        std::shared_ptr<ProductService> products);
void add_order_routes(core::Router& router, core::AppContext& ctx,
                      std::shared_ptr<OrderService> orders);

}  // namespace o4o::services::ecommerce
