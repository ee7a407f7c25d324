#include "accounts/login_attempt_repository.hpp"

namespace o4o::accounts::login_attempt_repo {
namespace {

constexpr std::string_view kLockAccountPostgres =
    "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))) AS locked";
constexpr std::string_view kCountAccount =
    "SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND client_ip = $2 AND attempted_at > $3";
constexpr std::string_view kCountAddress =
    "SELECT COUNT(*) FROM login_attempts WHERE client_ip = $1 AND attempted_at > $2";
constexpr std::string_view kAccountAttemptAt =
    "SELECT attempted_at FROM login_attempts WHERE email = $1 AND client_ip = $2 "
    "AND attempted_at > $3 ORDER BY attempted_at LIMIT 1 OFFSET $4";
constexpr std::string_view kAddressAttemptAt =
    "SELECT attempted_at FROM login_attempts WHERE client_ip = $1 AND attempted_at > $2 "
    "ORDER BY attempted_at LIMIT 1 OFFSET $3";
constexpr std::string_view kInsertAttempt =
    "INSERT INTO login_attempts (id, email, client_ip, attempted_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kClearAccount =
    "DELETE FROM login_attempts WHERE email = $1 AND client_ip = $2";
constexpr std::string_view kPrune = "DELETE FROM login_attempts WHERE attempted_at <= $1";

std::optional<int64_t> first_i64(std::optional<db::Row> row) {
  if (!row) return std::nullopt;
  return row->i64(0);
}

}  // namespace

void lock_account(db::Connection& c, const std::string& email, const std::string& ip) {
  if (c.dialect() != db::Dialect::postgres) return;
  c.query(kLockAccountPostgres, {email + "\n" + ip});
}

int64_t count_account(db::Connection& c, const std::string& email, const std::string& ip,
                      int64_t since) {
  return first_i64(c.query_one(kCountAccount, {email, ip, since})).value_or(0);
}

int64_t count_address(db::Connection& c, const std::string& ip, int64_t since) {
  return first_i64(c.query_one(kCountAddress, {ip, since})).value_or(0);
}

std::optional<int64_t> account_attempt_at(db::Connection& c, const std::string& email,
                                          const std::string& ip, int64_t since, int64_t offset) {
  return first_i64(c.query_one(kAccountAttemptAt, {email, ip, since, offset}));
}

std::optional<int64_t> address_attempt_at(db::Connection& c, const std::string& ip, int64_t since,
                                          int64_t offset) {
  return first_i64(c.query_one(kAddressAttemptAt, {ip, since, offset}));
}

void insert(db::Connection& c, const std::string& id, const std::string& email,
            const std::string& ip, int64_t at) {
  c.exec(kInsertAttempt, {id, email, ip, at});
}

void clear_account(db::Connection& c, const std::string& email, const std::string& ip) {
  c.exec(kClearAccount, {email, ip});
}

void prune(db::Connection& c, int64_t before) {
  c.exec(kPrune, {before});
}

}  // namespace o4o::accounts::login_attempt_repo
