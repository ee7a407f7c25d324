#pragma once
// The simulated card provider: zero set-up payments for demos and tests. It behaves like a real
// provider kept in the same database: its own books (sim_charges) say what it charged and gave
// back, the hosted checkout page is a page of the web app, and it tells the platform about a
// payment by a signed webhook over real HTTP (sim_webhooks, delivered by the settlement loop).
//
// Faults for tests, chosen by the amount (documented in the OpenAPI document):
//   amount ending in 503: the first confirm of a payment key fails as if the provider were down
//                         (nothing charged); a retry goes through.
//   amount ending in 504: the first confirm charges, then its answer is lost (a timeout); a
//                         retry with the same key finds the charge.
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/payment_provider.hpp"
#include "db/database.hpp"

namespace o4o::services::payments {

class SimProvider : public core::payments::PaymentProvider {
 public:
  SimProvider(db::Database& db, const core::Clock& clock, std::string webhook_secret);

  std::string_view name() const override { return "sim"; }
  core::payments::CheckoutSession initiate(const core::payments::InitiateRequest& r) override;
  core::payments::ProviderResult confirm(const std::string& payment_key,
                                         const std::string& payment_id, int64_t amount,
                                         const std::string& idempotency_key) override;
  core::payments::ProviderResult cancel(const std::string& payment_key,
                                        std::optional<int64_t> amount, const std::string& reason,
                                        const std::string& idempotency_key) override;
  std::optional<core::payments::ProviderCharge> retrieve(const std::string& payment_key) override;
  std::optional<core::payments::WebhookEvent> verify_webhook(
      const std::vector<core::Header>& headers, std::string_view raw_body) override;

  // What the hosted page does when a button is pressed: authorises a charge for the payment
  // ("paid": approved at once on the provider's side, and a payment.paid webhook is queued;
  // "fail_on_confirm": authorised, but the confirm will be declined) and returns its payment key;
  // nullopt for "declined". Throws ApiError 409 when the payment already has a live charge.
  std::optional<std::string> authorise(const std::string& payment_id, int64_t amount,
                                       std::string_view outcome);

  // Delivers due webhooks to `url` (the platform's own address), each at most once at a time
  // across instances; returns how many were delivered.
  int deliver_webhooks(const std::string& url, int timeout_ms);

  // "t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>"
  static std::string sign(const std::string& secret, int64_t unix_seconds, std::string_view body);

 private:
  db::Database& db_;
  const core::Clock& clock_;
  std::string secret_;
};

}  // namespace o4o::services::payments
