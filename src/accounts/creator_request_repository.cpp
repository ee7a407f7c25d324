#include "accounts/creator_request_repository.hpp"

namespace o4o::accounts::creator_request_repo {
namespace {

#define O4O_REQUEST_SELECT                                                                       \
  "SELECT r.id, r.user_id, u.name, COALESCE(u.email, ''), r.reason, r.status, r.decision_reason, " \
  "r.created_at, r.decided_at FROM creator_requests r JOIN users u ON u.id = r.user_id "

constexpr std::string_view kInsert =
    "INSERT INTO creator_requests (id, user_id, reason, status, created_at) "
    "VALUES ($1, $2, $3, 'pending', $4)";
constexpr std::string_view kLatest =
    O4O_REQUEST_SELECT "WHERE r.user_id = $1 ORDER BY r.seq DESC LIMIT 1";
constexpr std::string_view kDecide =
    "UPDATE creator_requests SET status = $2, decision_reason = $3, decided_at = $4 "
    "WHERE user_id = $1 AND status = 'pending'";
constexpr std::string_view kList =
    O4O_REQUEST_SELECT "WHERE u.deleted_at IS NULL ORDER BY r.seq LIMIT $1 OFFSET $2";
constexpr std::string_view kListStatus = O4O_REQUEST_SELECT
    "WHERE u.deleted_at IS NULL AND r.status = $3 ORDER BY r.seq LIMIT $1 OFFSET $2";
constexpr std::string_view kCount =
    "SELECT COUNT(*) FROM creator_requests r JOIN users u ON u.id = r.user_id "
    "WHERE u.deleted_at IS NULL";
constexpr std::string_view kCountStatus =
    "SELECT COUNT(*) FROM creator_requests r JOIN users u ON u.id = r.user_id "
    "WHERE u.deleted_at IS NULL AND r.status = $1";

#undef O4O_REQUEST_SELECT

CreatorRequest from_row(const db::Row& r) {
  return CreatorRequest{r.str(0), r.str(1),        r.str(2), r.str(3),
                        r.str(4), r.str(5),        r.opt_str(6),
                        r.i64(7), r.opt_i64(8)};
}

}  // namespace

void insert(db::Connection& c, const std::string& id, const std::string& user_id,
            const std::string& reason, int64_t now) {
  c.exec(kInsert, {id, user_id, reason, now});
}

std::optional<CreatorRequest> latest_of(db::Connection& c, const std::string& user_id) {
  auto row = c.query_one(kLatest, {user_id});
  if (!row) return std::nullopt;
  return from_row(*row);
}

bool decide(db::Connection& c, const std::string& user_id, const std::string& status,
            const std::optional<std::string>& reason, int64_t now) {
  return c.exec(kDecide, {user_id, status, reason, now}) > 0;
}

std::vector<CreatorRequest> list(db::Connection& c, const std::optional<std::string>& status,
                                 int64_t limit, int64_t offset) {
  auto result =
      status ? c.query(kListStatus, {limit, offset, *status}) : c.query(kList, {limit, offset});
  std::vector<CreatorRequest> out;
  for (const auto& r : result.rows) out.push_back(from_row(r));
  return out;
}

int64_t count(db::Connection& c, const std::optional<std::string>& status) {
  auto row = status ? c.query_one(kCountStatus, {*status}) : c.query_one(kCount);
  return row ? row->i64(0) : 0;
}

}  // namespace o4o::accounts::creator_request_repo
