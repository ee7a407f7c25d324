#include "services/payments/json.hpp"

#include "core/time_format.hpp"

namespace o4o::services::payments {
namespace json = boost::json;

namespace {
json::value optional_text(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}
}  // namespace

json::object payment_json(const Payment& p, const std::string& default_currency) {
  return json::object{
      {"id", p.id},
      {"purpose", p.purpose},
      {"targetId", p.target_id},
      {"userId", p.user_id},
      {"provider", p.provider},
      {"amount", p.amount},
      {"refundedAmount", p.refunded_amount},
      // Payments recorded by the migration for older orders have no currency of their own.
      {"currency", p.currency.empty() ? default_currency : p.currency},
      {"status", p.status},
      {"failureReason", optional_text(p.failure_reason)},
      {"paidAt",
       p.paid_at ? json::value(core::format_timestamp(*p.paid_at)) : json::value(nullptr)},
      {"createdAt", core::format_timestamp(p.created_at)},
      {"updatedAt", core::format_timestamp(p.updated_at)},
  };
}

json::object checkout_json(const Checkout& c) {
  return json::object{{"provider", c.provider},
                      {"paymentId", c.payment_id},
                      {"amount", c.amount},
                      {"orderName", c.order_name},
                      {"clientKey", optional_text(c.client_key)},
                      {"successUrl", c.success_url},
                      {"failUrl", c.fail_url},
                      {"redirectUrl", optional_text(c.redirect_url)}};
}

}  // namespace o4o::services::payments
