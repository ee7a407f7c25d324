#pragma once
// Order rules: an order takes the stock of all its lines in one transaction or changes nothing;
// prices come from the catalogue; the lifecycle moves by conditional updates so that a race has
// exactly one winner (and a cancellation returns stock exactly once).
#include <string>
#include <string_view>

#include "core/auth.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "services/ecommerce/model.hpp"
#include "services/ecommerce/order_repository.hpp"
#include "services/ecommerce/product_repository.hpp"

namespace o4o::services::ecommerce {

// At most this many lines in one order request (before merging).
inline constexpr std::size_t kMaxOrderLines = 100;

class OrderService {
 public:
  OrderService(db::Database& db, const core::Clock& clock, ProductRepository products = {},
               OrderRepository orders = {})
      : db_(db), clock_(clock), products_(products), orders_(orders) {}

  // 400 VALIDATION_ERROR (field items[i].productId) for an unknown or deleted product, 409
  // OUT_OF_STOCK with details [{productId, requested, available}] for every short line.
  // before_commit runs inside the order's transaction once the order is in it (the route records
  // the Idempotency-Key answer there, so that both commit together).
  Order place(const std::string& user_id, const NewOrder& in,
              const db::BeforeCommit<Order>& before_commit = {});
  // Others' orders are 404 unless the caller is an admin.
  Order get(const core::AuthUser& caller, const std::string& id);
  PageOf<Order> list(const OrderQuery& q);
  // Moves the order to `to` (409 INVALID_TRANSITION when the caller may not); cancelling
  // returns the order's stock in the same transaction.
  Order transition(const core::AuthUser& caller, const std::string& id, std::string_view to);

 private:
  db::Database& db_;
  const core::Clock& clock_;
  ProductRepository products_;
  OrderRepository orders_;
};

}  // namespace o4o::services::ecommerce
