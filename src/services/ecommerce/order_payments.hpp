#pragma once
// Orders as something the payments service can take money for (core::PayableKind "order").
#include <memory>

#include "core/payment_port.hpp"
#include "services/ecommerce/order_service.hpp"

namespace o4o::services::ecommerce {

class OrderPayments : public core::PayableKind {
 public:
  explicit OrderPayments(std::shared_ptr<OrderService> orders) : orders_(std::move(orders)) {}
  std::string_view purpose() const override { return "order"; }
  std::optional<core::PayableTarget> load(db::Connection& c, const std::string& id) override {
    return orders_->payable(c, id);
  }
  bool mark_paid(db::Connection& c, const std::string& id, int64_t now_ms) override {
    return orders_->mark_paid(c, id, now_ms);
  }
  void mark_refunded(db::Connection& c, const std::string& id, int64_t now_ms) override {
    orders_->cancel_in(c, id, now_ms);
  }
  std::vector<std::string> expire_unpaid(db::Connection& c, int64_t now_ms, int limit) override {
    return orders_->expire_unpaid(c, now_ms, limit);
  }
  std::vector<std::string> due_for_refund(db::Connection&, int) override { return {}; }
  int settle_time(db::Connection&, int64_t) override { return 0; }

 private:
  std::shared_ptr<OrderService> orders_;
};

}  // namespace o4o::services::ecommerce
