// libFuzzer target for the payment webhooks' readers: SimProvider::verify_webhook (the
// O4O-Signature header "t=<unix>,v1=<hex HMAC-SHA256>" over the raw body, then the event) and the
// Toss provider's (an unsigned PAYMENT_STATUS_CHANGED hint). The first byte picks a mode:
//   0  the rest is header lines ("Name: value"), an empty line, then the body, for the sim;
//   1  two bytes of clock offset, then a body the sim's own signer signs for that moment;
//   2  the rest is a body for the Toss provider.
// An event the sim accepts carries a signature this file checks on its own (HMAC over "<t>.<body>"
// with the secret, t within 300 s of now) and is what its body says; a body signed by the sim's
// own signer within the tolerance is accepted exactly when it is a well-formed event. A Toss event
// is never trusted and is what its body says.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "header_lines.hpp"
#include "services/payments/sim_provider.hpp"
#include "services/payments/toss_provider.hpp"

using namespace o4o;
namespace payments = o4o::services::payments;
namespace json = boost::json;
using core::payments::WebhookEvent;

namespace {

constexpr int64_t kNowMs = 1'780'000'000'000;
constexpr int64_t kNow = kNowMs / 1000;
const std::string kSecret = "fuzz-webhook-secret";

// verify_webhook reads no database; anything that tried would fail loudly here.
class NoDatabase final : public db::Database {
 public:
  db::Dialect dialect() const override { return db::Dialect::sqlite; }
  void migrate() override {}
  void close() noexcept override {}

 protected:
  void run_read(const std::function<void(db::Connection&)>&) override { std::abort(); }
  void run_write(const std::function<void(db::Connection&)>&) override { std::abort(); }
};

payments::SimProvider& sim() {
  static NoDatabase db;
  static core::ManualClock clock(kNowMs);
  static payments::SimProvider provider(db, clock, kSecret);
  return provider;
}

core::payments::PaymentProvider& toss() {
  static core::Config config = [] {
    core::Config c;
    c.toss_api_base = "http://127.0.0.1:9/";  // never called
    c.toss_secret_key = "test_sk_fuzz";
    return c;
  }();
  static auto provider = payments::make_toss_provider(config);
  return *provider;
}

std::string hmac_hex(std::string_view input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += digits[mac[i] >> 4];
    out += digits[mac[i] & 15];
  }
  return out;
}

const json::object* object_in(const json::value& v, std::string_view key) {
  const auto* f = v.as_object().if_contains(key);
  return f && f->is_object() ? &f->as_object() : nullptr;
}
std::optional<std::string> string_in(const json::object& o, std::string_view key) {
  const auto* f = o.if_contains(key);
  if (!f || !f->is_string()) return std::nullopt;
  return std::string(f->as_string());
}

// Whether a sim body is a well-formed event, and the event it must give.
std::optional<WebhookEvent> sim_event_of(std::string_view body) {
  boost::system::error_code ec;
  auto doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const auto* data = object_in(doc, "data");
  auto id = string_in(doc.as_object(), "id");
  auto type = string_in(doc.as_object(), "type");
  if (!data || !id || !type) return std::nullopt;
  if (*type != "payment.paid" && *type != "payment.failed" && *type != "payment.refunded")
    return std::nullopt;
  WebhookEvent ev;
  ev.event_id = *id;
  ev.type = *type;
  ev.payment_id = string_in(*data, "paymentId");
  ev.payment_key = string_in(*data, "paymentKey");
  if (const auto* a = data->if_contains("amount"); a && a->is_int64()) ev.amount = a->as_int64();
  ev.trusted = true;
  if (!ev.payment_id) return std::nullopt;
  return ev;
}

bool same(const WebhookEvent& a, const WebhookEvent& b) {
  return a.event_id == b.event_id && a.type == b.type && a.payment_id == b.payment_id &&
         a.payment_key == b.payment_key && a.amount == b.amount && a.trusted == b.trusted;
}

// The sim's answer; nothing may be thrown out of it.
std::optional<WebhookEvent> sim_verdict(const std::vector<core::Header>& headers,
                                        std::string_view body) {
  try {
    return sim().verify_webhook(headers, body);
  } catch (...) {
    std::abort();
  }
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Mode 0: whatever the sim accepts checks out here.
void raw_sim(std::string_view input) {
  std::vector<core::Header> headers;
  input = o4o::fuzz::read_header_lines(input, headers);
  auto got = sim_verdict(headers, input);
  if (!got) return;
  // The first O4O-Signature header, read here: its last t and v1 count.
  const core::Header* sig = nullptr;
  for (const auto& h : headers)
    if (sig == nullptr && iequals(h.name, "o4o-signature")) sig = &h;
  if (sig == nullptr) std::abort();
  std::optional<std::string_view> t, v1;
  std::string_view rest = sig->value;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.starts_with("t=")) t = part.substr(2);
    if (part.starts_with("v1=")) v1 = part.substr(3);
  }
  if (!t || !v1) std::abort();
  int64_t when = -1;
  const auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), when);
  if (ec != std::errc{} || end != t->data() + t->size() || when < 0) std::abort();
  if (when < kNow - 300 || when > kNow + 300) std::abort();
  if (*v1 != hmac_hex(std::to_string(when) + "." + std::string(input))) std::abort();
  auto expected = sim_event_of(input);
  if (!expected || !same(*got, *expected)) std::abort();
}

// Mode 1: signed by the sim's own signer, the verdict is known.
void signed_sim(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const int64_t offset = static_cast<int16_t>(data[0] | data[1] << 8) % 1000;
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
  const std::string header = payments::SimProvider::sign(kSecret, kNow + offset, body);
  auto got = sim_verdict({{"Content-Type", "application/json"}, {"O4O-Signature", header}}, body);
  auto expected = offset >= -300 && offset <= 300 ? sim_event_of(body) : std::nullopt;
  if (got.has_value() != expected.has_value()) std::abort();
  if (got && !same(*got, *expected)) std::abort();
  // Any other secret's signature is refused.
  std::string forged = header;
  if (!forged.empty()) forged.back() = forged.back() == '0' ? '1' : '0';
  if (sim_verdict({{"o4o-signature", forged}}, body)) std::abort();
}

// Mode 2: Toss's hint, never trusted, is what its body says.
void toss_hint(std::string_view body) {
  std::optional<WebhookEvent> got;
  try {
    got = toss().verify_webhook({}, body);
  } catch (...) {
    std::abort();
  }
  if (!got) return;
  boost::system::error_code ec;
  auto doc = json::parse(body, ec);
  if (ec || !doc.is_object() || got->trusted || got->type != "payment.changed") std::abort();
  const auto* payment = object_in(doc, "data");
  auto type = string_in(doc.as_object(), "eventType");
  auto created = string_in(doc.as_object(), "createdAt");
  if (!payment || type != "PAYMENT_STATUS_CHANGED" || !created || created->empty()) std::abort();
  auto key = string_in(*payment, "paymentKey");
  auto status = string_in(*payment, "status");
  if (!key || key->empty() || key->size() > 200 || !status || status->empty()) std::abort();
  if (got->payment_key != key || got->payment_id != string_in(*payment, "orderId") ||
      got->payment_id->empty())
    std::abort();
  if (got->event_id != "toss:" + core::sha256_hex(*key + "\n" + *status + "\n" + *created))
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      raw_sim(rest);
      break;
    case 1:
      signed_sim(data + 1, size - 1);
      break;
    case 2:
      toss_hint(rest);
      break;
  }
  return 0;
}
