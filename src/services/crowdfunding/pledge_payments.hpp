#pragma once
// Pledges as a core::PayableKind ("pledge") for the payments service.
#include <memory>

#include "core/payment_port.hpp"
#include "service.hpp"

namespace o4o::services::crowdfunding {

class PledgePayments : public core::PayableKind {
 public:
  explicit PledgePayments(std::shared_ptr<CrowdfundingService> service)
      : service_(std::move(service)) {}
  std::string_view purpose() const override { return "pledge"; }
  std::optional<core::PayableTarget> load(db::Connection& c, const std::string& id) override {
    return service_->payable(c, id);
  }
  bool mark_paid(db::Connection& c, const std::string& id, int64_t now_ms) override {
    return service_->mark_paid(c, id, now_ms);
  }
  void mark_refunded(db::Connection& c, const std::string& id, int64_t now_ms) override {
    service_->mark_refunded(c, id, now_ms);
  }
  std::vector<std::string> expire_unpaid(db::Connection& c, int64_t now_ms, int limit) override {
    return service_->expire_unpaid(c, now_ms, limit);
  }
  std::vector<std::string> due_for_refund(db::Connection& c, int limit) override {
    return service_->due_for_refund(c, limit);
  }
  int settle_time(db::Connection& c, int64_t now_ms) override {
    return service_->decide_deadlines(c, now_ms);
  }

 private:
  std::shared_ptr<CrowdfundingService> service_;
};

}  // namespace o4o::services::crowdfunding
