#pragma once
// SQL for orders and their lines: each statement a named constant, parameters in, rows out.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "services/ecommerce/model.hpp"

namespace o4o::services::ecommerce {

// Who owns an order and where it stands: what a transition checks.
struct OrderState {
  std::string user_id;
  std::string status;
};

class OrderRepository {
 public:
  // Inserts the order and its items (line numbers in the order given).
  void insert(db::Connection& c, const Order& order) const;
  // Takes each item's stock, in the order of `locking` (positions in order.items), only while its
  // product is live, has the stock and still has the item's name and unit price, then inserts
  // the order: nothing here waits for an answer on PostgreSQL (one deferred statement). When an
  // item does not match, db::RetryableError, at once or from a later statement (PostgreSQL), and
  // the transaction (or the grouped work's savepoint) must be undone.
  void insert_as_priced(db::Connection& c, const Order& order,
                        const std::vector<std::size_t>& locking) const;
  // The order with its items; nullopt when unknown.
  std::optional<Order> find(db::Connection& c, const std::string& id) const;
  // Owner and status; for_update locks the row on PostgreSQL.
  std::optional<OrderState> state(db::Connection& c, const std::string& id, bool for_update) const;
  // The conditional update behind every transition: false when the status was no longer
  // `expected` (someone else moved it first), and then nothing changed.
  bool set_status(db::Connection& c, const std::string& id, std::string_view expected,
                  std::string_view next, int64_t now) const;
  // A page of orders, newest first, each with its items.
  std::vector<Order> list(db::Connection& c, const OrderQuery& q) const;
  int64_t count(db::Connection& c, const OrderQuery& q) const;
  bool any_of_user(db::Connection& c, const std::string& user_id) const;
  // pending -> paid, clearing the pay-by time; false when it was not pending.
  bool mark_paid(db::Connection& c, const std::string& id, int64_t now) const;
  // Up to `limit` pending orders whose pay-by time has passed.
  std::vector<std::string> unpaid_past(db::Connection& c, int64_t now, int limit) const;
};

}  // namespace o4o::services::ecommerce
