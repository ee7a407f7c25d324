// The e-commerce service: catalogue, orders that never oversell, and the order lifecycle.
#include <memory>

#include "app/service_registry.hpp"
#include "services/ecommerce/routes.hpp"
#include "services/ecommerce/seed_data.hpp"

namespace o4o::services::ecommerce {

void register_routes(core::Router& router, core::AppContext& ctx) {
  add_product_routes(router, ctx, std::make_shared<ProductService>(ctx.db, ctx.clock));
  add_order_routes(router, ctx, std::make_shared<OrderService>(ctx.db, ctx.clock));
}

void seed(core::AppContext& ctx, const app::SeedAccounts& accounts) {
  seed_catalogue(ctx.db, ctx.clock, accounts.user_id);
}

}  // namespace o4o::services::ecommerce
