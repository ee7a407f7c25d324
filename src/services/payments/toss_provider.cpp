#include "services/payments/toss_provider.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/base64.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"

namespace o4o::services::payments {

namespace json = boost::json;
using core::payments::CheckoutSession;
using core::payments::InitiateRequest;
using core::payments::ProviderCharge;
using core::payments::ProviderDecline;
using core::payments::ProviderResult;
using core::payments::ProviderUnavailable;
using core::payments::WebhookEvent;

namespace {

// Toss limits a paymentKey to 200 characters and a cancelReason to 200.
constexpr size_t kMaxPaymentKey = 200;
constexpr size_t kMaxCancelReason = 200;

// A paymentKey comes from the browser: as a path segment it is percent-encoded whole, so that it
// can never reach another path ("../", "?", "#").
std::string path_segment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    const bool unreserved = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                            (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '~';
    if (unreserved) {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 0xF];
    }
  }
  return out;
}

// Cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string utf8_prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

std::optional<int64_t> whole_number(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX))
    return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) {
    const double d = v->as_double();
    if (d >= 0 && d < 9e15 && d == static_cast<double>(static_cast<int64_t>(d)))
      return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<std::string> text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string() || v->as_string().empty()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<json::object> parse_object(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

// Toss's Payment object, reduced to what the interface carries.
std::optional<ProviderCharge> charge_from(const json::object& o) {
  auto key = text(o, "paymentKey");
  auto order = text(o, "orderId");
  auto status = text(o, "status");
  auto total = whole_number(o.if_contains("totalAmount"));
  auto balance = whole_number(o.if_contains("balanceAmount"));
  if (!key || !order || !status || !total || !balance) return std::nullopt;
  return ProviderCharge{*key, *order, *status, *total, *balance};
}

// Toss's error object {code, message}.
std::optional<ProviderDecline> error_from(std::string_view body) {
  auto o = parse_object(body);
  if (!o) return std::nullopt;
  auto code = text(*o, "code");
  if (!code) return std::nullopt;
  return ProviderDecline{*code, text(*o, "message").value_or(*code)};
}

// Codes after which Toss itself says to try again later: the outcome is not a decline.
bool is_temporary(std::string_view code) {
  return code == "PROVIDER_ERROR" || code == "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING" ||
         code == "FAILED_INTERNAL_SYSTEM_PROCESSING" || code == "UNKNOWN_PAYMENT_ERROR" ||
         code == "FAILED_CARD_COMPANY_RESPONSE" || code == "COMMON_ERROR";
}

bool is_key_refused(int status, std::string_view code) {
  return status == 401 || code == "UNAUTHORIZED_KEY" || code == "INVALID_API_KEY";
}

class TossProvider final : public core::payments::PaymentProvider {
 public:
  explicit TossProvider(const core::Config& config)
      : base_(config.toss_api_base),
        authorization_("Basic " +
                       core::base64_encode(config.toss_secret_key + ":", core::Base64::standard)),
        client_key_(config.toss_client_key),
        timeout_(config.payment_timeout_ms) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }

  std::string_view name() const override { return "toss"; }

  // Toss's widget starts the checkout in the browser with the client key; nothing to call here.
  CheckoutSession initiate(const InitiateRequest&) override { return {client_key_, std::nullopt}; }

  ProviderResult confirm(const std::string& payment_key, const std::string& payment_id,
                         int64_t amount, const std::string& idempotency_key) override {
    // Toss would refuse it too; refused here, it never reaches Toss (nor a 10 KB Idempotency-Key).
    if (!usable_key(payment_key))
      return ProviderDecline{"INVALID_REQUEST", "The payment key is not a Toss payment key"};
    json::object body{{"paymentKey", payment_key}, {"orderId", payment_id}, {"amount", amount}};
    auto res =
        call("POST", "/v1/payments/confirm", json::serialize(body), idempotency_key, "confirm");
    if (res.status >= 200 && res.status < 300) return charge_of(res, "confirm");
    auto decline = decline_of(res, "confirm");
    if (decline.code == "ALREADY_PROCESSED_PAYMENT") {
      // Approved before (a retry after a lost answer, or a race with another instance): what
      // Toss holds counts when it is this payment, for this amount, and still charged.
      auto held = retrieve(payment_key);
      if (held && held->order_id == payment_id && held->total_amount == amount &&
          (held->status == "DONE" || held->status == "PARTIAL_CANCELED"))
        return *held;
    }
    return decline;
  }

  ProviderResult cancel(const std::string& payment_key, std::optional<int64_t> amount,
                        const std::string& reason, const std::string& idempotency_key) override {
    if (!usable_key(payment_key)) return ProviderDecline{"NOT_FOUND_PAYMENT", "unknown payment"};
    json::object body{
        {"cancelReason", utf8_prefix(reason.empty() ? "refund" : reason, kMaxCancelReason)}};
    if (amount) body["cancelAmount"] = *amount;
    auto res = call("POST", "/v1/payments/" + path_segment(payment_key) + "/cancel",
                    json::serialize(body), idempotency_key, "cancel");
    if (res.status >= 200 && res.status < 300) return charge_of(res, "cancel");
    auto decline = decline_of(res, "cancel");
    if (decline.code == "ALREADY_CANCELED_PAYMENT") {
      // Everything was given back already (a retried cancel): Toss's record says what is left.
      if (auto held = retrieve(payment_key)) return *held;
    }
    return decline;
  }

  std::optional<ProviderCharge> retrieve(const std::string& payment_key) override {
    if (!usable_key(payment_key)) return std::nullopt;
    auto res = call("GET", "/v1/payments/" + path_segment(payment_key), "", "", "retrieve");
    if (res.status >= 200 && res.status < 300) return charge_of(res, "retrieve");
    if (res.status == 404) {
      auto e = error_from(res.body);
      if (e && (e->code == "NOT_FOUND_PAYMENT" || e->code == "NOT_FOUND")) return std::nullopt;
    }
    unexpected(res, "retrieve");
  }

  // PAYMENT_STATUS_CHANGED: {eventType, createdAt, data: Payment}. Toss does not sign it, so
  // nothing in it is believed: the payments service retrieves the payment before any change.
  std::optional<WebhookEvent> verify_webhook(const std::vector<core::Header>&,
                                             std::string_view raw_body) override {
    auto event = parse_object(raw_body);
    if (!event) return std::nullopt;
    auto type = text(*event, "eventType");
    auto created = text(*event, "createdAt");
    const auto* data = event->if_contains("data");
    if (type != "PAYMENT_STATUS_CHANGED" || !created || !data || !data->is_object())
      return std::nullopt;
    const auto& payment = data->as_object();
    auto key = text(payment, "paymentKey");
    auto order = text(payment, "orderId");
    auto status = text(payment, "status");
    if (!key || !usable_key(*key) || !order || !status) return std::nullopt;
    WebhookEvent out;
    // One change of one payment at one time: Toss's redelivery of it has the same id, whatever
    // the formatting of its body.
    out.event_id = "toss:" + core::sha256_hex(*key + "\n" + *status + "\n" + *created);
    out.type = "payment.changed";
    out.payment_id = std::move(order);
    out.payment_key = std::move(key);
    out.amount = whole_number(payment.if_contains("totalAmount"));
    out.trusted = false;
    return out;
  }

 private:
  static bool usable_key(std::string_view key) {
    return !key.empty() && key.size() <= kMaxPaymentKey;
  }

  core::OutboundResponse call(std::string method, const std::string& path, std::string body,
                              const std::string& idempotency_key, std::string_view op) {
    core::OutboundRequest req;
    req.method = std::move(method);
    req.url = base_ + path;
    req.headers.push_back({"Authorization", authorization_});
    if (!body.empty()) req.headers.push_back({"Content-Type", "application/json"});
    if (!idempotency_key.empty()) req.headers.push_back({"Idempotency-Key", idempotency_key});
    req.body = std::move(body);
    req.timeout = timeout_;
    try {
      return core::http_call(req);
    } catch (const core::OutboundUnavailable& e) {
      core::log::warn("toss did not answer", {{"op", op}, {"error", e.what()}});
      throw ProviderUnavailable("Toss Payments did not answer in time");
    }
  }

  [[noreturn]] static void unexpected(const core::OutboundResponse& res, std::string_view op) {
    core::log::error("toss answered unexpectedly", {{"op", op}, {"status", res.status}});
    throw ProviderUnavailable("Toss Payments could not take the request now");
  }

  // A 2xx must carry the Payment object; one that does not leaves the outcome unknown.
  static ProviderCharge charge_of(const core::OutboundResponse& res, std::string_view op) {
    auto o = parse_object(res.body);
    auto charge = o ? charge_from(*o) : std::nullopt;
    if (!charge) unexpected(res, op);
    return *charge;
  }

  // A definite "no" from Toss, or ProviderUnavailable when the answer says nothing definite:
  // a server error, throttling, a temporary code, an unreadable body, or our key refused (a
  // setting to fix, after which the same payment can still be confirmed).
  static ProviderDecline decline_of(const core::OutboundResponse& res, std::string_view op) {
    if (res.status >= 500 || res.status == 429 || res.status == 408) unexpected(res, op);
    auto e = error_from(res.body);
    if (!e || res.status < 400) unexpected(res, op);
    if (is_key_refused(res.status, e->code)) {
      core::log::error("toss refused the secret key (O4O_TOSS_SECRET_KEY)",
                       {{"op", op}, {"status", res.status}, {"code", e->code}});
      throw ProviderUnavailable("Toss Payments could not take the request now");
    }
    if (is_temporary(e->code)) unexpected(res, op);
    core::log::info("toss declined", {{"op", op}, {"status", res.status}, {"code", e->code}});
    return *e;
  }

  std::string base_;
  std::string authorization_;
  std::string client_key_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<core::payments::PaymentProvider> make_toss_provider(const core::Config& config) {
  return std::make_unique<TossProvider>(config);
}

}  // namespace o4o::services::payments
