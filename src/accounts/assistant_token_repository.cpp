#include "accounts/assistant_token_repository.hpp"

namespace o4o::accounts::assistant_token_repo {
namespace {

constexpr std::string_view kInsertBelow =
    "INSERT INTO assistant_tokens (id, user_id, name, scope, token_hash, created_at, expires_at) "
    "SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT), "
    "CAST($5 AS TEXT), CAST($6 AS BIGINT), CAST($7 AS BIGINT) "
    "WHERE (SELECT COUNT(*) FROM assistant_tokens WHERE user_id = $2) < $8";
constexpr std::string_view kListOfUser =
    "SELECT id, user_id, name, scope, created_at, expires_at FROM assistant_tokens "
    "WHERE user_id = $1 ORDER BY created_at DESC, id";
constexpr std::string_view kFindByHash =
    "SELECT id, user_id, name, scope, created_at, expires_at FROM assistant_tokens "
    "WHERE token_hash = $1";
constexpr std::string_view kDelete = "DELETE FROM assistant_tokens WHERE id = $1 AND user_id = $2";
constexpr std::string_view kDeleteAllOfUser = "DELETE FROM assistant_tokens WHERE user_id = $1";

AssistantToken from_row(const db::Row& r) {
  return {r.str(0), r.str(1), r.str(2), r.str(3), r.i64(4), r.opt_i64(5)};
}

}  // namespace

bool insert_below(db::Connection& c, const AssistantToken& t, const std::string& token_hash,
                  int64_t max_of_user) {
  return c.exec(kInsertBelow, {t.id, t.user_id, t.name, t.scope, token_hash, t.created_at,
                               t.expires_at, max_of_user}) > 0;
}

std::vector<AssistantToken> list_of_user(db::Connection& c, const std::string& user_id) {
  std::vector<AssistantToken> out;
  for (const auto& r : c.query(kListOfUser, {user_id}).rows) out.push_back(from_row(r));
  return out;
}

std::optional<AssistantToken> find_by_hash(db::Connection& c, const std::string& token_hash) {
  auto row = c.query_one(kFindByHash, {token_hash});
  if (!row) return std::nullopt;
  return from_row(*row);
}

bool remove(db::Connection& c, const std::string& id, const std::string& user_id) {
  c.note_change(kTokensRemoved);
  return c.exec(kDelete, {id, user_id}) > 0;
}

void remove_all_of_user(db::Connection& c, const std::string& user_id) {
  c.note_change(kTokensRemoved);
  c.exec(kDeleteAllOfUser, {user_id});
}

}  // namespace o4o::accounts::assistant_token_repo
