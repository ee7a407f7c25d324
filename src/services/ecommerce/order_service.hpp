#pragma once
// Order rules: an order takes the stock of all its lines in one transaction or changes nothing;
// prices come from the catalogue; the lifecycle moves by conditional updates so that a race has
// exactly one winner (and a cancellation returns stock exactly once).
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/auth.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/payment_port.hpp"
#include "db/database.hpp"
#include "services/ecommerce/model.hpp"
#include "services/ecommerce/order_repository.hpp"
#include "services/ecommerce/product_repository.hpp"
#include "services/ecommerce/rules.hpp"

namespace o4o::services::ecommerce {

// At most this many lines in one order request (before merging).
inline constexpr std::size_t kMaxOrderLines = 100;

class OrderService {
 public:
  // `payments` links orders to the payments ledger (null: no payments, orders never expire);
  // an order must be paid within pay_within_ms (0: no limit). With `mail_config`, a shipped
  // order mails its buyer (src/mail).
  OrderService(db::Database& db, const core::Clock& clock, core::PaymentHub* payments = nullptr,
               int64_t pay_within_ms = 0, const core::Config* mail_config = nullptr)
      : db_(db), clock_(clock), payments_(payments), pay_within_ms_(pay_within_ms),
        mail_config_(mail_config) {}

  // 400 VALIDATION_ERROR (field items[i].productId) for an unknown or deleted product, 409
  // OUT_OF_STOCK with details [{productId, requested, available}] for every short line.
  // before_commit runs inside the order's transaction once the order is in it (the route records
  // the Idempotency-Key answer there, so that both commit together).
  Order place(const std::string& user_id, const NewOrder& in,
              const db::BeforeCommit<Order>& before_commit = {});
  // What place() would answer for this request, changing nothing (no stock taken, no order
  // stored): the same checks, errors and prices, read in one go. The order's id and times are
  // placeholders; only its items and total mean anything.
  Order quote(const std::string& user_id, const NewOrder& in) const;
  // place() in two halves, for group commit: prepare() checks the request (400) and fixes the
  // order's id and times; place_in() is the transaction's work, run on c inside a transaction.
  struct Placement {
    std::vector<MergedLine> lines;
    std::vector<std::size_t> locking;  // the order in which lines lock their products
    Order order;
    // The order priced from the names and prices last seen for its products, when all are
    // known: placed by one statement that takes the stock only if they still hold, so the work
    // waits for no answer (group commit sends a batch of such works in one round trip).
    std::optional<Order> priced;
    // Set once `priced` was tried: a work that runs again (the prices had changed, the stock ran
    // short, or another work's failure undid it) reads each product as it is now.
    std::shared_ptr<bool> priced_tried = std::make_shared<bool>(false);
  };
  Placement prepare(const std::string& user_id, const NewOrder& in) const;
  Order place_in(db::Connection& c, const Placement& p) const;
  // Others' orders are 404 unless the caller is an admin.
  Order get(const core::AuthUser& caller, const std::string& id);
  PageOf<Order> list(const OrderQuery& q);
  // Moves the order to `to` (409 INVALID_TRANSITION when the caller may not); cancelling
  // returns the order's stock in the same transaction.
  Order transition(const core::AuthUser& caller, const std::string& id, std::string_view to);

  // --- for the payments service (core::PayableKind "order"), inside its transaction ---
  std::optional<core::PayableTarget> payable(db::Connection& c, const std::string& id) const;
  bool mark_paid(db::Connection& c, const std::string& id, int64_t now) const;
  // Cancels the order if it still can be (stock returns); false when it could not.
  bool cancel_in(db::Connection& c, const std::string& id, int64_t now) const;
  std::vector<std::string> expire_unpaid(db::Connection& c, int64_t now, int limit) const;

 private:
  void return_stock(db::Connection& c, const Order& order, int64_t now) const;

  // Names and prices of products as the last order that took their stock found them: a guess
  // (another instance or an edit may have changed them since), which the priced placement checks.
  class SeenPrices {
   public:
    // Every line's, or nullopt when one is not known.
    std::optional<std::vector<std::optional<TakenStock>>> of(
        const std::vector<MergedLine>& lines) const;
    void remember(const std::string& product_id, const TakenStock& seen);
    void forget(const std::string& product_id);

   private:
    static constexpr std::size_t kMaxProducts = 4096;  // then it starts over
    mutable std::mutex mutex_;
    std::unordered_map<std::string, TakenStock> seen_;
  };

  db::Database& db_;
  const core::Clock& clock_;
  core::PaymentHub* payments_;
  int64_t pay_within_ms_;
  const core::Config* mail_config_;
  ProductRepository products_;
  OrderRepository orders_;
  mutable SeenPrices seen_;  // a cache: placing an order (const) learns from what it reads
};

}  // namespace o4o::services::ecommerce
