#include "services/payments/repository.hpp"

#include <string_view>

namespace o4o::services::payments {
namespace {

// Column order read by payment_from_row.
constexpr std::string_view kColumns =
    "id, purpose, target_id, user_id, provider, provider_ref, amount, refunded_amount, currency, "
    "status, failure_reason, paid_at, reconcile_at, created_at, updated_at";
constexpr std::string_view kInsert =
    "INSERT INTO payments (id, purpose, target_id, user_id, provider, provider_ref, amount, "
    "refunded_amount, currency, status, failure_reason, paid_at, reconcile_at, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
constexpr std::string_view kRemember =
    "UPDATE payments SET provider_ref = $2, reconcile_at = $3, updated_at = $4 "
    "WHERE id = $1 AND status = 'pending'";
constexpr std::string_view kMarkPaid =
    "UPDATE payments SET status = 'paid', provider_ref = $2, paid_at = $3, reconcile_at = NULL, "
    "failure_reason = NULL, updated_at = $3 WHERE id = $1 AND status = 'pending'";
constexpr std::string_view kMarkEnded =
    "UPDATE payments SET status = $2, failure_reason = $3, reconcile_at = $4, updated_at = $5, "
    "provider_ref = COALESCE(CAST($6 AS TEXT), provider_ref) WHERE id = $1 AND status = 'pending'";
constexpr std::string_view kAddRefunded =
    "UPDATE payments SET refunded_amount = refunded_amount + $2, "
    "status = CASE WHEN refunded_amount + $2 >= amount THEN 'refunded' ELSE status END, "
    "updated_at = $3 WHERE id = $1";
constexpr std::string_view kSetReconcile =
    "UPDATE payments SET reconcile_at = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view kDueReconcile =
    "SELECT id FROM payments WHERE reconcile_at IS NOT NULL AND reconcile_at <= $1 "
    "ORDER BY reconcile_at LIMIT $2";
constexpr std::string_view kClaimReconcile =
    "UPDATE payments SET reconcile_at = $3 WHERE id = $1 AND reconcile_at IS NOT NULL "
    "AND reconcile_at <= $2";
constexpr std::string_view kRecordEvent =
    "INSERT INTO payment_events (provider, event_id, payment_id, type, received_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (provider, event_id) DO NOTHING";
constexpr std::string_view kInsertRefund =
    "INSERT INTO payment_refunds (id, payment_id, amount, reason, status, attempts, "
    "next_attempt_at, claimed_until, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, $5, $5) ON CONFLICT DO NOTHING";
constexpr std::string_view kPendingRefundTotal =
    "SELECT COALESCE(SUM(amount), 0) FROM payment_refunds WHERE payment_id = $1 "
    "AND status = 'pending'";
constexpr std::string_view kPendingRefund =
    "SELECT id, payment_id, amount, reason, attempts FROM payment_refunds WHERE payment_id = $1 "
    "AND status = 'pending'";
constexpr std::string_view kDueRefunds =
    "SELECT id FROM payment_refunds WHERE status = 'pending' AND next_attempt_at <= $1 "
    "AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY next_attempt_at LIMIT $2";
constexpr std::string_view kClaimRefund =
    "UPDATE payment_refunds SET claimed_until = $3, attempts = attempts + 1, updated_at = $2 "
    "WHERE id = $1 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= $2)";
constexpr std::string_view kRefundById =
    "SELECT id, payment_id, amount, reason, attempts FROM payment_refunds WHERE id = $1";
constexpr std::string_view kFinishRefund =
    "UPDATE payment_refunds SET status = 'done', claimed_until = NULL, updated_at = $2 "
    "WHERE id = $1 AND status = 'pending'";
constexpr std::string_view kFailRefund =
    "UPDATE payment_refunds SET status = 'failed', last_error = $2, claimed_until = NULL, "
    "updated_at = $3 WHERE id = $1 AND status = 'pending'";
constexpr std::string_view kRetryRefund =
    "UPDATE payment_refunds SET last_error = $2, next_attempt_at = $3, claimed_until = NULL, "
    "updated_at = $4 WHERE id = $1 AND status = 'pending'";

std::string select_payments(std::string_view where) {
  return "SELECT " + std::string(kColumns) + " FROM payments " + std::string(where);
}

Payment payment_from_row(const db::Row& r) {
  Payment p;
  p.id = r.str(0);
  p.purpose = r.str(1);
  p.target_id = r.str(2);
  p.user_id = r.str(3);
  p.provider = r.str(4);
  p.provider_ref = r.opt_str(5);
  p.amount = r.i64(6);
  p.refunded_amount = r.i64(7);
  p.currency = r.str(8);
  p.status = r.str(9);
  p.failure_reason = r.opt_str(10);
  p.paid_at = r.opt_i64(11);
  p.reconcile_at = r.opt_i64(12);
  p.created_at = r.i64(13);
  p.updated_at = r.i64(14);
  return p;
}

Refund refund_from_row(const db::Row& r) {
  return Refund{r.str(0), r.str(1), r.i64(2), r.str(3), static_cast<int>(r.i64(4))};
}

// $1 user, $2 status, $3 purpose: each NULL for "any".
constexpr std::string_view kFilter =
    "WHERE (CAST($1 AS TEXT) IS NULL OR user_id = $1) "
    "AND (CAST($2 AS TEXT) IS NULL OR status = $2) "
    "AND (CAST($3 AS TEXT) IS NULL OR purpose = $3) ";

}  // namespace

void PaymentRepository::insert(db::Connection& c, const Payment& p) const {
  c.exec(kInsert, {p.id, p.purpose, p.target_id, p.user_id, p.provider, p.provider_ref, p.amount,
                   p.refunded_amount, p.currency, p.status, p.failure_reason, p.paid_at,
                   p.reconcile_at, p.created_at, p.updated_at});
}

std::optional<Payment> PaymentRepository::find(db::Connection& c, const std::string& id) const {
  static const std::string sql = select_payments("WHERE id = $1");
  auto row = c.query_one(sql, {id});
  if (!row) return std::nullopt;
  return payment_from_row(*row);
}

std::optional<Payment> PaymentRepository::lock(db::Connection& c, const std::string& id) const {
  const std::string sql = select_payments("WHERE id = $1") + std::string(c.for_update());
  auto row = c.query_one(sql, {id});
  if (!row) return std::nullopt;
  return payment_from_row(*row);
}

std::optional<Payment> PaymentRepository::find_by_ref(db::Connection& c,
                                                      const std::string& provider,
                                                      const std::string& ref) const {
  static const std::string sql = select_payments("WHERE provider = $1 AND provider_ref = $2");
  auto row = c.query_one(sql, {provider, ref});
  if (!row) return std::nullopt;
  return payment_from_row(*row);
}

std::optional<Payment> PaymentRepository::find_for_target(db::Connection& c,
                                                          std::string_view purpose,
                                                          const std::string& target_id,
                                                          std::string_view status) const {
  static const std::string sql =
      select_payments("WHERE purpose = $1 AND target_id = $2 AND status = $3");
  auto row = c.query_one(sql, {purpose, target_id, status});
  if (!row) return std::nullopt;
  return payment_from_row(*row);
}

PageOf<Payment> PaymentRepository::list(db::Connection& c, const PaymentFilter& f, int64_t limit,
                                        int64_t offset) const {
  static const std::string sql = select_payments(std::string(kFilter) +
                                                 "ORDER BY created_at DESC, seq DESC "
                                                 "LIMIT $4 OFFSET $5");
  static const std::string count = "SELECT COUNT(*) FROM payments " + std::string(kFilter);
  PageOf<Payment> page;
  for (const auto& r : c.query(sql, {f.user_id, f.status, f.purpose, limit, offset}).rows)
    page.items.push_back(payment_from_row(r));
  page.total = c.query_one(count, {f.user_id, f.status, f.purpose})->i64(0);
  return page;
}

bool PaymentRepository::remember_ref(db::Connection& c, const std::string& id,
                                     const std::string& ref, int64_t reconcile_at,
                                     int64_t now) const {
  try {
    return c.exec(kRemember, {id, ref, reconcile_at, now}) == 1;
  } catch (const db::ConstraintError& e) {
    if (e.kind == db::ConstraintError::Kind::unique) return false;  // another payment's key
    throw;
  }
}

void PaymentRepository::set_ref_if_none(db::Connection& c, const std::string& id,
                                        const std::string& ref, int64_t now) const {
  // Not when another payment has that key already: the unique index would refuse it.
  c.exec(
      "UPDATE payments SET provider_ref = $2, updated_at = $3 WHERE id = $1 AND provider_ref IS "
      "NULL AND NOT EXISTS (SELECT 1 FROM payments o WHERE o.provider = payments.provider AND "
      "o.provider_ref = $2)",
      {id, ref, now});
}

bool PaymentRepository::mark_paid(db::Connection& c, const std::string& id, const std::string& ref,
                                  int64_t now) const {
  return c.exec(kMarkPaid, {id, ref, now}) == 1;
}

bool PaymentRepository::mark_ended(db::Connection& c, const std::string& id,
                                   std::string_view status,
                                   const std::optional<std::string>& reason,
                                   std::optional<int64_t> reconcile_at, int64_t now,
                                   const std::optional<std::string>& ref) const {
  return c.exec(kMarkEnded, {id, status, reason, reconcile_at, now, ref}) == 1;
}

void PaymentRepository::add_refunded(db::Connection& c, const std::string& id, int64_t amount,
                                     int64_t now) const {
  c.exec(kAddRefunded, {id, amount, now});
}

void PaymentRepository::set_reconcile_at(db::Connection& c, const std::string& id,
                                         std::optional<int64_t> at, int64_t now) const {
  c.exec(kSetReconcile, {id, at, now});
}

std::vector<Payment> PaymentRepository::claim_reconcile(db::Connection& c, int64_t now,
                                                        int64_t until, int limit) const {
  std::vector<Payment> out;
  for (const auto& r : c.query(kDueReconcile, {now, limit}).rows) {
    if (c.exec(kClaimReconcile, {r.str(0), now, until}) != 1) continue;
    if (auto p = find(c, r.str(0))) out.push_back(std::move(*p));
  }
  return out;
}

bool PaymentRepository::record_event(db::Connection& c, const std::string& provider,
                                     const std::string& event_id,
                                     const std::optional<std::string>& payment_id,
                                     const std::string& type, int64_t now) const {
  return c.exec(kRecordEvent, {provider, event_id, payment_id, type, now}) == 1;
}

bool PaymentRepository::insert_refund(db::Connection& c, const Refund& r,
                                      std::optional<int64_t> claimed_until, int64_t now) const {
  return c.exec(kInsertRefund, {r.id, r.payment_id, r.amount, r.reason, now, claimed_until}) == 1;
}

int64_t PaymentRepository::pending_refund_total(db::Connection& c,
                                                const std::string& payment_id) const {
  return c.query_one(kPendingRefundTotal, {payment_id})->i64(0);
}

std::vector<Refund> PaymentRepository::claim_refunds(db::Connection& c, int64_t now, int64_t until,
                                                     int limit) const {
  std::vector<Refund> out;
  for (const auto& r : c.query(kDueRefunds, {now, limit}).rows) {
    if (c.exec(kClaimRefund, {r.str(0), now, until}) != 1) continue;
    if (auto row = c.query_one(kRefundById, {r.str(0)})) out.push_back(refund_from_row(*row));
  }
  return out;
}

bool PaymentRepository::finish_refund(db::Connection& c, const std::string& id, int64_t now) const {
  return c.exec(kFinishRefund, {id, now}) == 1;
}

void PaymentRepository::fail_refund(db::Connection& c, const std::string& id,
                                    const std::string& error, int64_t now) const {
  c.exec(kFailRefund, {id, error, now});
}

void PaymentRepository::retry_refund(db::Connection& c, const std::string& id,
                                     const std::string& error, int64_t next_attempt_at,
                                     int64_t now) const {
  c.exec(kRetryRefund, {id, error, next_attempt_at, now});
}

std::optional<Refund> PaymentRepository::pending_refund(db::Connection& c,
                                                        const std::string& payment_id) const {
  auto row = c.query_one(kPendingRefund, {payment_id});
  if (!row) return std::nullopt;
  return refund_from_row(*row);
}

}  // namespace o4o::services::payments
