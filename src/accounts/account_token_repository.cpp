#include "accounts/account_token_repository.hpp"

#include "core/ids.hpp"

namespace o4o::accounts::account_token_repo {
namespace {

constexpr std::string_view kVoidOlder =
    "UPDATE account_tokens SET used_at = $3 WHERE user_id = $1 AND kind = $2 AND used_at IS NULL";
constexpr std::string_view kInsert =
    "INSERT INTO account_tokens (id, user_id, kind, token_hash, email, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSpend =
    "UPDATE account_tokens SET used_at = $3 WHERE token_hash = $1 AND kind = $2 "
    "AND used_at IS NULL AND expires_at > $3";
constexpr std::string_view kFind =
    "SELECT user_id, email FROM account_tokens WHERE token_hash = $1";
constexpr std::string_view kLogRequest = "INSERT INTO account_requests (ip, at) VALUES ($1, $2)";
constexpr std::string_view kCountRequests =
    "SELECT COUNT(*) FROM account_requests WHERE ip = $1 AND at >= $2";
constexpr std::string_view kRequestAt =
    "SELECT at FROM account_requests WHERE ip = $1 AND at >= $2 ORDER BY at LIMIT 1 OFFSET $3";
constexpr std::string_view kPruneRequests = "DELETE FROM account_requests WHERE at < $1";

}  // namespace

void replace(db::Connection& c, const NewToken& t) {
  c.exec(kVoidOlder, {t.user_id, t.kind, t.created_at});
  c.exec(kInsert, {core::new_uuid(), t.user_id, t.kind, t.token_hash, t.email, t.created_at,
                   t.expires_at});
}

std::optional<Spent> spend(db::Connection& c, std::string_view kind, const std::string& token_hash,
                           int64_t now) {
  if (c.exec(kSpend, {token_hash, kind, now}) != 1) return std::nullopt;
  auto row = c.query_one(kFind, {token_hash});
  if (!row) return std::nullopt;
  return Spent{row->str(0), row->str(1)};
}

void log_request(db::Connection& c, const std::string& ip, int64_t now) {
  c.exec(kLogRequest, {ip, now});
}

int64_t count_requests(db::Connection& c, const std::string& ip, int64_t since) {
  return c.query_one(kCountRequests, {ip, since})->i64(0);
}

std::optional<int64_t> request_at(db::Connection& c, const std::string& ip, int64_t since,
                                  int64_t offset) {
  auto row = c.query_one(kRequestAt, {ip, since, offset});
  if (!row) return std::nullopt;
  return row->i64(0);
}

void prune_requests(db::Connection& c, int64_t before) {
  c.exec(kPruneRequests, {before});
}

}  // namespace o4o::accounts::account_token_repo
