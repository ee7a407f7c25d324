#include "core/json_body.hpp"
#include "repository.hpp"

namespace o4o::services::crowdfunding::repo {
namespace {

constexpr const char* kAddToRaised =
    "UPDATE cf_projects SET raised = raised + CAST($2 AS BIGINT), "
    "pledges_made = pledges_made + 1, updated_at = $3 "
    "WHERE id = $1 AND cancelled_at IS NULL AND deadline > $3 "
    "AND raised <= CAST($4 AS BIGINT) - CAST($2 AS BIGINT)";

constexpr const char* kTakeFromRaised =
    "UPDATE cf_projects SET raised = raised - CAST($2 AS BIGINT), updated_at = $3 "
    "WHERE id = $1 AND cancelled_at IS NULL AND deadline > $3";

constexpr const char* kChangeBackerCount =
    "UPDATE cf_projects SET backer_count = backer_count + CAST($2 AS BIGINT) WHERE id = $1";

constexpr const char* kFindReward = "SELECT project_id, min_amount FROM cf_rewards WHERE id = $1";

constexpr const char* kClaimReward =
    "UPDATE cf_rewards SET claimed = claimed + 1 "
    "WHERE id = $1 AND (reward_limit IS NULL OR claimed < reward_limit)";

constexpr const char* kReleaseReward =
    "UPDATE cf_rewards SET claimed = claimed - 1 WHERE id = $1 AND claimed > 0";

constexpr const char* kAddBackerPledge =
    "INSERT INTO cf_backers (project_id, user_id, live_pledges) VALUES ($1, $2, 1) "
    "ON CONFLICT (project_id, user_id) DO UPDATE SET live_pledges = cf_backers.live_pledges + 1 "
    "RETURNING live_pledges";

constexpr const char* kRemoveBackerPledge =
    "UPDATE cf_backers SET live_pledges = live_pledges - 1 "
    "WHERE project_id = $1 AND user_id = $2 AND live_pledges > 0 RETURNING live_pledges";

constexpr const char* kInsertPledge =
    "INSERT INTO cf_pledges (id, project_id, user_id, reward_id, amount, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";

constexpr const char* kFindPledge =
    "SELECT id, project_id, user_id, reward_id, amount, created_at, cancelled_at "
    "FROM cf_pledges WHERE id = $1";

constexpr const char* kMarkPledgeCancelled =
    "UPDATE cf_pledges SET cancelled_at = $2 WHERE id = $1 AND cancelled_at IS NULL";

constexpr const char* kProjectPledges =
    "SELECT id, project_id, user_id, reward_id, amount, created_at, cancelled_at "
    "FROM cf_pledges WHERE project_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2 OFFSET $3";
constexpr const char* kCountProjectPledges =
    "SELECT COUNT(*) FROM cf_pledges WHERE project_id = $1";

constexpr const char* kUserPledges =
    "SELECT g.id, g.project_id, g.user_id, g.reward_id, g.amount, g.created_at, g.cancelled_at, "
    "p.title FROM cf_pledges g JOIN cf_projects p ON p.id = g.project_id WHERE g.user_id = $1 "
    "ORDER BY g.created_at DESC, g.seq DESC LIMIT $2 OFFSET $3";
constexpr const char* kCountUserPledges = "SELECT COUNT(*) FROM cf_pledges WHERE user_id = $1";

Pledge pledge_from(const db::Row& r) {
  Pledge p;
  p.id = r.str(0);
  p.project_id = r.str(1);
  p.user_id = r.str(2);
  p.reward_id = r.opt_str(3);
  p.amount = r.i64(4);
  p.created_at = r.i64(5);
  p.cancelled_at = r.opt_i64(6);
  if (r.size() > 7) p.project_title = r.str(7);
  return p;
}

PageOf<Pledge> pledge_page(db::Connection& c, const char* list_sql, const char* count_sql,
                           std::string_view key, int64_t limit, int64_t offset) {
  PageOf<Pledge> page;
  for (const auto& r : c.query(list_sql, {key, limit, offset}).rows) {
    page.items.push_back(pledge_from(r));
  }
  page.total = c.query_one(count_sql, {key})->i64(0);
  return page;
}

// The value of the single-column RETURNING row, or -1 when no row changed.
int64_t returned_count(db::Result result) {
  return result.rows.empty() ? -1 : result.rows.front().i64(0);
}

}  // namespace

int64_t add_to_raised(db::Connection& c, std::string_view project_id, int64_t amount,
                      int64_t now_ms) {
  return c.exec(kAddToRaised, {project_id, amount, now_ms, core::kMaxSafeInteger});
}

int64_t take_from_raised(db::Connection& c, std::string_view project_id, int64_t amount,
                         int64_t now_ms) {
  return c.exec(kTakeFromRaised, {project_id, amount, now_ms});
}

void change_backer_count(db::Connection& c, std::string_view project_id, int64_t delta) {
  c.exec(kChangeBackerCount, {project_id, delta});
}

std::optional<RewardRef> find_reward(db::Connection& c, std::string_view reward_id) {
  auto row = c.query_one(kFindReward, {reward_id});
  if (!row) return std::nullopt;
  return RewardRef{row->str(0), row->i64(1)};
}

int64_t claim_reward(db::Connection& c, std::string_view reward_id) {
  return c.exec(kClaimReward, {reward_id});
}

void release_reward(db::Connection& c, std::string_view reward_id) {
  c.exec(kReleaseReward, {reward_id});
}

int64_t add_backer_pledge(db::Connection& c, std::string_view project_id,
                          std::string_view user_id) {
  return returned_count(c.query(kAddBackerPledge, {project_id, user_id}));
}

int64_t remove_backer_pledge(db::Connection& c, std::string_view project_id,
                             std::string_view user_id) {
  return returned_count(c.query(kRemoveBackerPledge, {project_id, user_id}));
}

void insert_pledge(db::Connection& c, const Pledge& p) {
  c.exec(kInsertPledge, {p.id, p.project_id, p.user_id, p.reward_id, p.amount, p.created_at});
}

std::optional<Pledge> find_pledge(db::Connection& c, std::string_view id) {
  auto row = c.query_one(kFindPledge, {id});
  if (!row) return std::nullopt;
  return pledge_from(*row);
}

int64_t mark_pledge_cancelled(db::Connection& c, std::string_view id, int64_t now_ms) {
  return c.exec(kMarkPledgeCancelled, {id, now_ms});
}

PageOf<Pledge> project_pledges(db::Connection& c, std::string_view project_id, int64_t limit,
                               int64_t offset) {
  return pledge_page(c, kProjectPledges, kCountProjectPledges, project_id, limit, offset);
}

PageOf<Pledge> user_pledges(db::Connection& c, std::string_view user_id, int64_t limit,
                            int64_t offset) {
  return pledge_page(c, kUserPledges, kCountUserPledges, user_id, limit, offset);
}

}  // namespace o4o::services::crowdfunding::repo
