#pragma once
// One interface for every payment provider (the built-in simulated one, Toss Payments). Each call
// that moves money carries an idempotency key, so a call retried after a timeout has one effect.
// A provider that does not answer in time throws ProviderUnavailable: the caller must then treat
// the outcome as unknown (the provider may have charged) and find out later with retrieve().
// No HTTP framework or database types here: providers are plain objects the payments service
// calls outside any transaction.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/http.hpp"

namespace o4o::core::payments {

struct ProviderUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The provider's own record of one payment (Toss's "Payment" object, reduced to what we use).
struct ProviderCharge {
  std::string payment_key;
  std::string order_id;  // our payment id
  // DONE (charged), CANCELED (all given back), PARTIAL_CANCELED, ABORTED, EXPIRED, READY,
  // IN_PROGRESS, WAITING_FOR_DEPOSIT: Toss's names, used by every provider.
  std::string status;
  int64_t total_amount = 0;
  int64_t balance_amount = 0;  // what the provider still holds: total minus cancellations
};

// The provider said no (a declined card, a rejected refund); the reason goes to the client.
struct ProviderDecline {
  std::string code;
  std::string message;
};

using ProviderResult = std::variant<ProviderCharge, ProviderDecline>;

struct InitiateRequest {
  std::string payment_id;  // becomes the provider's orderId
  int64_t amount = 0;
  std::string currency;
  std::string order_name;
  std::string success_url;
  std::string fail_url;
};

// What the browser needs to start paying.
struct CheckoutSession {
  std::optional<std::string> client_key;    // toss: the widget's client key
  std::optional<std::string> redirect_url;  // sim: the hosted checkout page
};

// A webhook event after verify_webhook. `trusted` says whether it may change a payment as it is
// (sim: signed by a shared secret) or is only a hint to retrieve the payment first (toss).
struct WebhookEvent {
  std::string event_id;  // unique per event and provider: a replay is recognised by it
  std::string type;      // payment.paid | payment.failed | payment.refunded | payment.changed
  std::optional<std::string> payment_id;
  std::optional<std::string> payment_key;
  std::optional<int64_t> amount;
  bool trusted = false;
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual std::string_view name() const = 0;  // "sim" | "toss"

  // Prepares a checkout; nothing is charged yet.
  virtual CheckoutSession initiate(const InitiateRequest& request) = 0;
  // Approves a payment the browser authorised (Toss: POST /v1/payments/confirm).
  virtual ProviderResult confirm(const std::string& payment_key, const std::string& payment_id,
                                 int64_t amount, const std::string& idempotency_key) = 0;
  // Gives back `amount` (all that is left when nullopt) (Toss: POST /v1/payments/{key}/cancel).
  virtual ProviderResult cancel(const std::string& payment_key, std::optional<int64_t> amount,
                                const std::string& reason, const std::string& idempotency_key) = 0;
  // The provider's record (Toss: GET /v1/payments/{key}); nullopt when it does not know the key.
  virtual std::optional<ProviderCharge> retrieve(const std::string& payment_key) = 0;
  // nullopt when the event is not genuine or not understood (→ 400, nothing changes).
  virtual std::optional<WebhookEvent> verify_webhook(const std::vector<Header>& headers,
                                                     std::string_view raw_body) = 0;
};

}  // namespace o4o::core::payments
