#pragma once
// HTTP routes of /api/v1/ecommerce: one route table (routes.cpp) and thin handlers that parse the
// request into domain values, call the service and render the answer.
#include <memory>

#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/ecommerce/order_service.hpp"
#include "services/ecommerce/product_service.hpp"

namespace o4o::services::ecommerce {

// Every /api/v1/ecommerce route: the catalogue and the orders.
void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<ProductService> products, std::shared_ptr<OrderService> orders);

}  // namespace o4o::services::ecommerce
