#include "mail/outbox.hpp"

#include "core/ids.hpp"
#include "core/trace.hpp"

namespace o4o::mail::outbox {
namespace {

#define O4O_MAIL_COLUMNS                                                                    \
  "id, kind, to_address, subject, body_text, body_html, status, attempts, last_error, " \
  "created_at, sent_at, traceparent"

constexpr std::string_view kInsert =
    "INSERT INTO mail_outbox (id, kind, to_address, subject, body_text, body_html, status, "
    "attempts, next_attempt_at, created_at, traceparent) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $7, $8)";
constexpr std::string_view kCountRecent =
    "SELECT COUNT(*) FROM mail_outbox WHERE to_address = $1 AND kind = $2 AND created_at >= $3";
constexpr std::string_view kDue =
    "SELECT id FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= $1 "
    "AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY next_attempt_at, seq LIMIT $2";
constexpr std::string_view kClaim =
    "UPDATE mail_outbox SET claimed_until = $3, attempts = attempts + 1 WHERE id = $1 "
    "AND status = 'queued' AND (claimed_until IS NULL OR claimed_until <= $2)";
constexpr std::string_view kById = "SELECT " O4O_MAIL_COLUMNS " FROM mail_outbox WHERE id = $1";
constexpr std::string_view kSent =
    "UPDATE mail_outbox SET status = 'sent', sent_at = $2, claimed_until = NULL, "
    "last_error = NULL WHERE id = $1 AND status = 'queued'";
constexpr std::string_view kRetry =
    "UPDATE mail_outbox SET last_error = $2, next_attempt_at = $3, claimed_until = NULL "
    "WHERE id = $1 AND status = 'queued'";
constexpr std::string_view kFailed =
    "UPDATE mail_outbox SET status = 'failed', last_error = $2, claimed_until = NULL "
    "WHERE id = $1 AND status = 'queued'";
constexpr std::string_view kList =
    "SELECT " O4O_MAIL_COLUMNS " FROM mail_outbox ORDER BY seq DESC LIMIT $1 OFFSET $2";
constexpr std::string_view kListStatus = "SELECT " O4O_MAIL_COLUMNS
                                         " FROM mail_outbox WHERE status = $3 "
                                         "ORDER BY seq DESC LIMIT $1 OFFSET $2";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM mail_outbox";
constexpr std::string_view kCountStatus = "SELECT COUNT(*) FROM mail_outbox WHERE status = $1";

#undef O4O_MAIL_COLUMNS

Mail from_row(const db::Row& r) {
  return Mail{r.str(0),
              r.str(1),
              r.str(2),
              r.str(3),
              r.str(4),
              r.str(5),
              r.str(6),
              static_cast<int>(r.i64(7)),
              r.opt_str(8),
              r.i64(9),
              r.opt_i64(10),
              r.opt_str(11)};
}

}  // namespace

std::string enqueue(db::Connection& c, const NewMail& m, int64_t now) {
  std::string id = core::new_uuid();
  std::optional<std::string> trace;
  if (std::string t = core::trace::current_traceparent(); !t.empty()) trace = std::move(t);
  c.exec(kInsert, {id, m.kind, m.to, m.subject, m.text, m.html, now, trace});
  return id;
}

int64_t count_recent(db::Connection& c, const std::string& to, const std::string& kind,
                     int64_t since) {
  return c.query_one(kCountRecent, {to, kind, since})->i64(0);
}

std::vector<Mail> claim_due(db::Connection& c, int64_t now, int64_t until, int limit) {
  std::vector<Mail> out;
  for (const auto& r : c.query(kDue, {now, limit}).rows) {
    if (c.exec(kClaim, {r.str(0), now, until}) != 1) continue;
    if (auto row = c.query_one(kById, {r.str(0)})) out.push_back(from_row(*row));
  }
  return out;
}

void mark_sent(db::Connection& c, const std::string& id, int64_t now) {
  c.exec(kSent, {id, now});
}

void mark_retry(db::Connection& c, const std::string& id, const std::string& error,
                int64_t next_attempt_at) {
  c.exec(kRetry, {id, error, next_attempt_at});
}

void mark_failed(db::Connection& c, const std::string& id, const std::string& error) {
  c.exec(kFailed, {id, error});
}

std::vector<Mail> list(db::Connection& c, const std::optional<std::string>& status, int64_t limit,
                       int64_t offset) {
  auto result =
      status ? c.query(kListStatus, {limit, offset, *status}) : c.query(kList, {limit, offset});
  std::vector<Mail> out;
  out.reserve(result.rows.size());
  for (const auto& r : result.rows) out.push_back(from_row(r));
  return out;
}

int64_t count(db::Connection& c, const std::optional<std::string>& status) {
  auto row = status ? c.query_one(kCountStatus, {*status}) : c.query_one(kCount);
  return row ? row->i64(0) : 0;
}

}  // namespace o4o::mail::outbox
