#include "services/payments/sim_provider.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <strings.h>
#include <boost/json.hpp>

#include <cctype>
#include <cstdlib>

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/time_format.hpp"
#include "core/whole_number.hpp"

namespace o4o::services::payments {
namespace json = boost::json;
using core::payments::ProviderCharge;
using core::payments::ProviderDecline;
using core::payments::ProviderResult;
using core::payments::ProviderUnavailable;

namespace {

constexpr int64_t kSignatureToleranceSeconds = 300;

constexpr std::string_view kSelectCharge =
    "SELECT payment_key, order_id, amount, balance, status, fail_on_confirm, confirm_calls "
    "FROM sim_charges WHERE payment_key = $1";
constexpr std::string_view kInsertCharge =
    "INSERT INTO sim_charges (payment_key, order_id, amount, balance, status, fail_on_confirm, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
constexpr std::string_view kCountConfirm =
    "UPDATE sim_charges SET confirm_calls = confirm_calls + 1, updated_at = $2 "
    "WHERE payment_key = $1";
constexpr std::string_view kApprove =
    "UPDATE sim_charges SET status = 'DONE', balance = amount, updated_at = $2 "
    "WHERE payment_key = $1 AND status = 'READY'";
constexpr std::string_view kAbort =
    "UPDATE sim_charges SET status = 'ABORTED', updated_at = $2 WHERE payment_key = $1 "
    "AND status = 'READY'";
constexpr std::string_view kInsertCancel =
    "INSERT INTO sim_cancels (idempotency_key, payment_key, amount, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (idempotency_key) DO NOTHING";
constexpr std::string_view kGiveBack =
    "UPDATE sim_charges SET balance = balance - $2, "
    "status = CASE WHEN balance - $2 = 0 THEN 'CANCELED' ELSE 'PARTIAL_CANCELED' END, "
    "updated_at = $3 WHERE payment_key = $1 AND status IN ('DONE', 'PARTIAL_CANCELED') "
    "AND balance >= $2";
constexpr std::string_view kQueueWebhook =
    "INSERT INTO sim_webhooks (id, body, next_attempt_at) VALUES ($1, $2, $3)";
constexpr std::string_view kDueWebhooks =
    "SELECT id FROM sim_webhooks WHERE delivered_at IS NULL AND next_attempt_at <= $1 "
    "AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY next_attempt_at LIMIT 20";
constexpr std::string_view kClaimWebhook =
    "UPDATE sim_webhooks SET claimed_until = $3, attempts = attempts + 1 WHERE id = $1 "
    "AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $2)";
constexpr std::string_view kWebhookBody = "SELECT body, attempts FROM sim_webhooks WHERE id = $1";
constexpr std::string_view kDelivered =
    "UPDATE sim_webhooks SET delivered_at = $2, claimed_until = NULL WHERE id = $1";
constexpr std::string_view kRetryWebhook =
    "UPDATE sim_webhooks SET next_attempt_at = $2, claimed_until = NULL WHERE id = $1";

struct Charge {
  ProviderCharge view;
  bool fail_on_confirm = false;
  int64_t confirm_calls = 0;
};

std::optional<Charge> load_charge(db::Connection& c, const std::string& key) {
  auto r = c.query_one(kSelectCharge, {key});
  if (!r) return std::nullopt;
  Charge ch;
  ch.view.payment_key = r->str(0);
  ch.view.order_id = r->str(1);
  ch.view.total_amount = r->i64(2);
  ch.view.balance_amount = r->i64(3);
  ch.view.status = r->str(4);
  ch.fail_on_confirm = r->i64(5) != 0;
  ch.confirm_calls = r->i64(6);
  return ch;
}

std::string hex(const unsigned char* data, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += digits[ch >> 4];
      out += digits[ch & 15];
    }
  }
  return out;
}

ProviderDecline decline(std::string code, std::string message) {
  return ProviderDecline{std::move(code), std::move(message)};
}

}  // namespace

SimProvider::SimProvider(db::Database& db, const core::Clock& clock, std::string webhook_secret)
    : db_(db), clock_(clock), secret_(std::move(webhook_secret)) {}

namespace {
// hex(HMAC-SHA256(secret, "<t>.<body>"))
std::string signature_mac(const std::string& secret, int64_t unix_seconds, std::string_view body) {
  const std::string payload = std::to_string(unix_seconds) + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &len);
  return hex(mac, len);
}
}  // namespace

std::string SimProvider::sign(const std::string& secret, int64_t unix_seconds,
                              std::string_view body) {
  return "t=" + std::to_string(unix_seconds) + ",v1=" + signature_mac(secret, unix_seconds, body);
}

core::payments::CheckoutSession SimProvider::initiate(const core::payments::InitiateRequest& r) {
  core::payments::CheckoutSession s;
  // The hosted page is a page of the web app, on the origin the success URL names.
  const auto scheme_end = r.success_url.find("://");
  const auto path_start =
      scheme_end == std::string::npos ? std::string::npos : r.success_url.find('/', scheme_end + 3);
  const std::string origin = r.success_url.substr(0, path_start);
  s.redirect_url =
      origin + "/pay/sim/" + r.payment_id + "?amount=" + std::to_string(r.amount) +
      "&currency=" + url_encode(r.currency) + "&orderName=" + url_encode(r.order_name) +
      "&successUrl=" + url_encode(r.success_url) + "&failUrl=" + url_encode(r.fail_url);
  return s;
}

std::optional<std::string> SimProvider::authorise(const std::string& payment_id, int64_t amount,
                                                  std::string_view outcome) {
  if (outcome == "declined") return std::nullopt;
  const std::string key = "sim_" + core::random_hex(16);
  const int64_t now = clock_.now_ms();
  const bool approve_now = outcome == "paid";
  try {
    db_.write([&](db::Connection& c) {
      c.exec(kInsertCharge, {key, payment_id, amount, approve_now ? amount : int64_t{0},
                             approve_now ? "DONE" : "READY", approve_now ? 0 : 1, now});
      if (approve_now) {
        // The provider tells the platform by webhook, as Toss does; delivered in the background.
        json::object event{
            {"id", "evt_" + core::random_hex(12)},
            {"type", "payment.paid"},
            {"createdAt", core::format_timestamp(now)},
            {"data",
             json::object{{"paymentId", payment_id}, {"paymentKey", key}, {"amount", amount}}}};
        c.exec(kQueueWebhook, {core::new_uuid(), json::serialize(event), now});
      }
    });
  } catch (const db::ConstraintError& e) {
    if (e.kind != db::ConstraintError::Kind::unique) throw;
    throw core::err::conflict("INVALID_TRANSITION",
                              "This payment already has a card payment in progress or done");
  }
  return key;
}

ProviderResult SimProvider::confirm(const std::string& payment_key, const std::string& payment_id,
                                    int64_t amount, const std::string& idempotency_key) {
  (void)idempotency_key;  // approving the same key twice is harmless here: DONE stays DONE
  const int64_t now = clock_.now_ms();
  const bool down_once = amount % 1000 == 503;
  const bool lost_once = amount % 1000 == 504;
  enum class After { answer, unavailable };
  After after = After::answer;
  auto result = db_.write([&](db::Connection& c) -> ProviderResult {
    auto charge = load_charge(c, payment_key);
    if (!charge || charge->view.order_id != payment_id)
      return decline("NOT_FOUND_PAYMENT_SESSION", "No such payment session");
    if (charge->view.total_amount != amount)
      return decline("INVALID_AMOUNT", "The amount does not match the authorised amount");
    c.exec(kCountConfirm, {payment_key, now});
    const bool first = charge->confirm_calls == 0;
    if (down_once && first) {
      after = After::unavailable;
      return charge->view;
    }
    if (charge->view.status == "READY") {
      if (charge->fail_on_confirm) {
        c.exec(kAbort, {payment_key, now});
        return decline("REJECT_CARD_PAYMENT", "The card issuer declined the payment");
      }
      c.exec(kApprove, {payment_key, now});
    } else if (charge->view.status == "ABORTED") {
      return decline("REJECT_CARD_PAYMENT", "The card issuer declined the payment");
    }
    if (lost_once && first) after = After::unavailable;
    return load_charge(c, payment_key)->view;
  });
  if (after == After::unavailable)
    throw ProviderUnavailable("the simulated provider did not answer in time");
  return result;
}

ProviderResult SimProvider::cancel(const std::string& payment_key, std::optional<int64_t> amount,
                                   const std::string& reason, const std::string& idempotency_key) {
  (void)reason;
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) -> ProviderResult {
    auto charge = load_charge(c, payment_key);
    if (!charge) return decline("NOT_FOUND_PAYMENT", "No such payment");
    const int64_t give = amount.value_or(charge->view.balance_amount);
    // The same idempotency key a second time: the first cancellation's result, nothing more.
    if (c.exec(kInsertCancel, {idempotency_key, payment_key, give, now}) == 0) return charge->view;
    if (give <= 0 || c.exec(kGiveBack, {payment_key, give, now}) != 1)
      return decline("NOT_CANCELABLE_AMOUNT", "More than the payment still holds");
    return load_charge(c, payment_key)->view;
  });
}

std::optional<ProviderCharge> SimProvider::retrieve(const std::string& payment_key) {
  return db_.read([&](db::Connection& c) -> std::optional<ProviderCharge> {
    auto charge = load_charge(c, payment_key);
    if (!charge) return std::nullopt;
    return charge->view;
  });
}

std::optional<core::payments::WebhookEvent> SimProvider::verify_webhook(
    const std::vector<core::Header>& headers, std::string_view raw_body) {
  std::optional<std::string_view> signature;
  for (const auto& h : headers) {
    if (h.name.size() == 13 && strncasecmp(h.name.c_str(), "o4o-signature", 13) == 0) {
      signature = h.value;
      break;
    }
  }
  if (!signature) return std::nullopt;
  // t=<unix>,v1=<hex>
  std::optional<int64_t> t;
  std::string v1;
  std::string_view rest = *signature;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.rfind("t=", 0) == 0)
      t = core::whole_number(part.substr(2), int64_t{0}, int64_t{1} << 40);
    if (part.rfind("v1=", 0) == 0) v1 = std::string(part.substr(3));
  }
  if (!t || v1.empty()) return std::nullopt;
  if (std::llabs(clock_.now_seconds() - *t) > kSignatureToleranceSeconds) return std::nullopt;
  const std::string expected = signature_mac(secret_, *t, raw_body);
  if (expected.size() != v1.size() ||
      CRYPTO_memcmp(expected.data(), v1.data(), expected.size()) != 0)
    return std::nullopt;

  boost::system::error_code ec;
  auto doc = json::parse(raw_body, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const auto& o = doc.as_object();
  const auto* id = o.if_contains("id");
  const auto* type = o.if_contains("type");
  const auto* data = o.if_contains("data");
  if (!id || !id->is_string() || !type || !type->is_string() || !data || !data->is_object())
    return std::nullopt;
  core::payments::WebhookEvent ev;
  ev.event_id = std::string(id->as_string());
  ev.type = std::string(type->as_string());
  if (ev.type != "payment.paid" && ev.type != "payment.failed" && ev.type != "payment.refunded")
    return std::nullopt;
  ev.trusted = true;
  const auto& d = data->as_object();
  if (const auto* v = d.if_contains("paymentId"); v && v->is_string())
    ev.payment_id = std::string(v->as_string());
  if (const auto* v = d.if_contains("paymentKey"); v && v->is_string())
    ev.payment_key = std::string(v->as_string());
  if (const auto* v = d.if_contains("amount"); v && v->is_int64()) ev.amount = v->as_int64();
  if (!ev.payment_id) return std::nullopt;
  return ev;
}

int SimProvider::deliver_webhooks(const std::string& url, int timeout_ms) {
  const int64_t now = clock_.now_ms();
  struct Due {
    std::string id;
    std::string body;
    int64_t attempts;
  };
  auto due = db_.write([&](db::Connection& c) {
    std::vector<Due> out;
    for (const auto& r : c.query(kDueWebhooks, {now}).rows) {
      if (c.exec(kClaimWebhook, {r.str(0), now, now + timeout_ms + 5000}) != 1) continue;
      auto row = c.query_one(kWebhookBody, {r.str(0)});
      out.push_back({r.str(0), row->str(0), row->i64(1)});
    }
    return out;
  });
  int delivered = 0;
  for (const auto& w : due) {
    bool ok = false;
    try {
      core::OutboundRequest req;
      req.method = "POST";
      req.url = url;
      req.body = w.body;
      req.timeout = std::chrono::milliseconds(timeout_ms);
      req.headers = {{"Content-Type", "application/json"},
                     {"O4O-Signature", sign(secret_, clock_.now_seconds(), w.body)}};
      auto res = core::http_call(req);
      ok = res.status >= 200 && res.status < 300;
    } catch (const std::exception& e) {
      core::log::warn("sim webhook not delivered", {{"error", e.what()}});
    }
    // Retries back off: 1 s, 2 s, 4 s ... up to 5 minutes, as providers retry.
    const int64_t backoff =
        std::min<int64_t>(300'000, int64_t{1000} << std::min<int64_t>(w.attempts, 9));
    db_.write([&](db::Connection& c) {
      if (ok) {
        c.exec(kDelivered, {w.id, clock_.now_ms()});
      } else {
        c.exec(kRetryWebhook, {w.id, clock_.now_ms() + backoff});
      }
    });
    delivered += ok ? 1 : 0;
  }
  return delivered;
}

}  // namespace o4o::services::payments
