#pragma once
// Every statement on the payments tables (payments, payment_events, payment_refunds). Parameters
// in, rows out; the service decides.
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "services/payments/model.hpp"

namespace o4o::services::payments {

class PaymentRepository {
 public:
  void insert(db::Connection& c, const Payment& p) const;
  std::optional<Payment> find(db::Connection& c, const std::string& id) const;
  // The same, holding the row's lock to the end of the transaction on PostgreSQL (SQLite has one
  // writer), so that a confirm, a webhook and a refund of one payment take turns and each sees
  // what the one before it committed.
  std::optional<Payment> lock(db::Connection& c, const std::string& id) const;
  std::optional<Payment> find_by_ref(db::Connection& c, const std::string& provider,
                                     const std::string& ref) const;
  // The target's payment in that status (there is at most one pending and one paid).
  std::optional<Payment> find_for_target(db::Connection& c, std::string_view purpose,
                                         const std::string& target_id,
                                         std::string_view status) const;
  PageOf<Payment> list(db::Connection& c, const PaymentFilter& f, int64_t limit,
                       int64_t offset) const;

  // The payment key the browser brought back, kept before the provider is asked so that a crash
  // in between is found by reconciliation. False when the payment is not pending any more or the
  // key belongs to another payment.
  bool remember_ref(db::Connection& c, const std::string& id, const std::string& ref,
                    int64_t reconcile_at, int64_t now) const;
  // Keeps a key for a payment that has none (another payment's key is ignored).
  void set_ref_if_none(db::Connection& c, const std::string& id, const std::string& ref,
                       int64_t now) const;
  // pending -> paid, only for the key given; false when it was not pending.
  bool mark_paid(db::Connection& c, const std::string& id, const std::string& ref,
                 int64_t now) const;
  // pending -> failed | cancelled (keeping the payment key, if one is given, for
  // reconciliation); false when it was not pending.
  bool mark_ended(db::Connection& c, const std::string& id, std::string_view status,
                  const std::optional<std::string>& reason, std::optional<int64_t> reconcile_at,
                  int64_t now, const std::optional<std::string>& ref = std::nullopt) const;
  // refunded_amount += amount, and `refunded` when nothing is left.
  void add_refunded(db::Connection& c, const std::string& id, int64_t amount, int64_t now) const;
  void set_reconcile_at(db::Connection& c, const std::string& id, std::optional<int64_t> at,
                        int64_t now) const;
  // Claims payments whose reconciliation is due: moves their reconcile_at to `until`, so that
  // another instance leaves them alone meanwhile.
  std::vector<Payment> claim_reconcile(db::Connection& c, int64_t now, int64_t until,
                                       int limit) const;

  // true when the event is new (and now recorded), false for a replay.
  bool record_event(db::Connection& c, const std::string& provider, const std::string& event_id,
                    const std::optional<std::string>& payment_id, const std::string& type,
                    int64_t now) const;

  // Inserts a pending refund; false when one is already pending for the payment.
  bool insert_refund(db::Connection& c, const Refund& r, std::optional<int64_t> claimed_until,
                     int64_t now) const;
  // Sum of refunds still pending for the payment.
  int64_t pending_refund_total(db::Connection& c, const std::string& payment_id) const;
  std::vector<Refund> claim_refunds(db::Connection& c, int64_t now, int64_t until, int limit) const;
  // pending -> done; false when another caller finished it first.
  bool finish_refund(db::Connection& c, const std::string& id, int64_t now) const;
  void fail_refund(db::Connection& c, const std::string& id, const std::string& error,
                   int64_t now) const;
  // Another attempt later: the claim is released and the next attempt scheduled.
  void retry_refund(db::Connection& c, const std::string& id, const std::string& error,
                    int64_t next_attempt_at, int64_t now) const;
  std::optional<Refund> pending_refund(db::Connection& c, const std::string& payment_id) const;
};

}  // namespace o4o::services::payments
