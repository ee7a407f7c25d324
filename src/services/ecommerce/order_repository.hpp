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
