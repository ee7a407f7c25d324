#pragma once
// Payments: taking money for orders and pledges through a provider, exactly once, and giving it
// back. The rules of the contract's "Payments" section live here; provider calls are made outside
// every transaction, and each change of state is a conditional update, so that a confirm, a
// webhook, a retry and a crash in between give one charge, one `paid`, one refund.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/auth.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/pagination.hpp"
#include "core/payment_port.hpp"
#include "core/payment_provider.hpp"
#include "db/database.hpp"
#include "services/payments/model.hpp"
#include "services/payments/repository.hpp"
#include "services/payments/sim_provider.hpp"

namespace o4o::services::payments {

class PaymentService : public core::PaymentLedger {
 public:
  PaymentService(const core::Config& config, db::Database& db, const core::Clock& clock,
                 core::PaymentHub& hub, std::unique_ptr<core::payments::PaymentProvider> provider,
                 SimProvider* sim);

  // POST /ecommerce/orders/:id/payment, /crowdfunding/pledges/:id/payment. `origin` is where
  // the browser reaches the web app ("https://shop.example").
  Started start(const core::AuthUser& caller, std::string_view purpose,
                const std::string& target_id, const std::string& origin);
  Payment confirm(const core::AuthUser& caller, const std::string& id,
                  const std::string& payment_key, int64_t amount);
  Payment get(const core::AuthUser& caller, const std::string& id);
  PageOf<Payment> list(const PaymentFilter& filter, const core::Page& page);
  Payment refund(const std::string& id, std::optional<int64_t> amount);
  // Verifies and applies a provider's event; throws 400 when it is not genuine.
  void webhook(std::string_view provider, const std::vector<core::Header>& headers,
               std::string_view raw_body);
  // The sim hosted page's buttons: the URL the browser goes to next, and whether it is the
  // success URL.
  std::pair<bool, std::string> sim_complete(const core::AuthUser& caller, const std::string& id,
                                            std::string_view outcome, const std::string& origin);
  bool has_sim() const { return sim_ != nullptr; }
  std::string_view provider_name() const { return provider_->name(); }
  std::optional<std::string> client_key() const;

  // One round of background settlement: project deadlines, expiry, refunds, reconciliation,
  // sim webhooks. Safe on several instances at once. Returns how much it did.
  int settle_once();
  void set_waker(std::function<void()> waker) {
    std::lock_guard lock(waker_mutex_);
    waker_ = std::move(waker);
  }

  // core::PaymentLedger
  void record_manual(db::Connection& c, std::string_view purpose, const std::string& id,
                     const std::string& user_id, int64_t amount, int64_t now_ms) override;
  bool refund_all(db::Connection& c, std::string_view purpose, const std::string& id,
                  const std::string& reason, int64_t now_ms) override;
  void void_pending(db::Connection& c, std::string_view purpose, const std::string& id,
                    int64_t now_ms) override;
  void wake() override;

 private:
  enum class Settled { paid_now, already_paid, not_payable, not_pending };
  Settled settle_in(db::Connection& c, const std::string& payment_id, const std::string& key,
                    int64_t now);
  // A payment key brought back for a payment that has ended: kept (if it had none) and checked
  // with the provider, which gives back whatever it holds.
  void mail_paid(db::Connection& c, const std::string& purpose, const core::PayableTarget& target,
                 int64_t now);
  void remember_late_key(db::Connection& c, const Payment& p, const std::string& key, int64_t now);
  enum class RefundResult { done, unavailable, declined };
  RefundResult execute_refund(const Refund& refund, bool automatic, std::string* reason);
  void reconcile(const Payment& p);
  std::shared_ptr<core::PayableKind> kind_of(std::string_view purpose) const;
  std::string success_url(const std::string& origin) const;
  std::string fail_url(const std::string& origin) const;

  const core::Config& config_;
  db::Database& db_;
  const core::Clock& clock_;
  core::PaymentHub& hub_;
  std::unique_ptr<core::payments::PaymentProvider> provider_;
  SimProvider* sim_;  // owned by provider_ when the provider is sim
  PaymentRepository repo_;
  std::mutex waker_mutex_;
  std::function<void()> waker_;
};

}  // namespace o4o::services::payments
