#include "accounts/token_repository.hpp"

namespace o4o::accounts::token_repo {
namespace {

constexpr std::string_view kInsertToken =
    "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kFindToken =
    "SELECT user_id, family_id, used_at, revoked_at FROM refresh_tokens WHERE token_hash = $1";
constexpr std::string_view kSpendToken =
    "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL "
    "AND revoked_at IS NULL AND expires_at > $2";
constexpr std::string_view kRevokeFamily =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL";
constexpr std::string_view kRevokeFamilyOfUserToken =
    "UPDATE refresh_tokens SET revoked_at = $3 WHERE revoked_at IS NULL AND family_id IN "
    "(SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND user_id = $2)";
constexpr std::string_view kRevokeUserTokens =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";

}  // namespace

void insert(db::Connection& c, const NewToken& t) {
  c.exec(kInsertToken, {t.id, t.user_id, t.family_id, t.token_hash, t.created_at, t.expires_at});
}

std::optional<StoredToken> find(db::Connection& c, const std::string& token_hash) {
  auto row = c.query_one(kFindToken, {token_hash});
  if (!row) return std::nullopt;
  return StoredToken{row->str(0), row->str(1), !row->is_null(2) || !row->is_null(3)};
}

bool spend(db::Connection& c, const std::string& token_hash, int64_t now) {
  return c.exec(kSpendToken, {token_hash, now}) > 0;
}

void revoke_family(db::Connection& c, const std::string& family_id, int64_t now) {
  c.exec(kRevokeFamily, {family_id, now});
}

void revoke_family_of(db::Connection& c, const std::string& token_hash, const std::string& user_id,
                      int64_t now) {
  c.exec(kRevokeFamilyOfUserToken, {token_hash, user_id, now});
}

void revoke_all_of_user(db::Connection& c, const std::string& user_id, int64_t now) {
  c.exec(kRevokeUserTokens, {user_id, now});
}

}  // namespace o4o::accounts::token_repo
