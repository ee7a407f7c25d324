// The e-commerce service: catalogue, orders that never oversell, and the order lifecycle.
#include <memory>

#include "accounts/accounts.hpp"
#include "services/ecommerce/order_payments.hpp"
#include "services/ecommerce/routes.hpp"

namespace o4o::services::ecommerce {
namespace {
std::shared_ptr<OrderService> make_orders(core::AppContext& ctx) {
  return std::make_shared<OrderService>(ctx.db, ctx.clock, &ctx.payments,
                                        ctx.config.payment_ttl_seconds * 1000, &ctx.config);
}
}  // namespace

void attach(core::AppContext& ctx) {
  ctx.payments.add_kind(std::make_shared<OrderPayments>(make_orders(ctx)));
}

void register_routes(core::Router& router, core::AppContext& ctx) {
  add_routes(router, ctx, std::make_shared<ProductService>(ctx.db, ctx.clock, &ctx.cache), make_orders(ctx));
}

// seed(): seed.cpp.

}  // namespace o4o::services::ecommerce
