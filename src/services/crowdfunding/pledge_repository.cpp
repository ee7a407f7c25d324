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

// Unlike take_from_raised, also after the deadline: an unpaid pledge expiring lowers raised
// (a decided status stays as it was).
constexpr const char* kTakeFromRaisedAnyTime =
    "UPDATE cf_projects SET raised = raised - CAST($2 AS BIGINT), updated_at = $3 WHERE id = $1";

constexpr const char* kMarkPledgePaid =
    "UPDATE cf_pledges SET payment_status = 'paid', pay_by = NULL "
    "WHERE id = $1 AND payment_status = 'unpaid' AND cancelled_at IS NULL";
constexpr const char* kMarkPledgeRefunded =
    "UPDATE cf_pledges SET payment_status = 'refunded' WHERE id = $1 AND payment_status = 'paid'";
constexpr const char* kUnpaidPast =
    "SELECT id FROM cf_pledges WHERE pay_by IS NOT NULL AND pay_by <= $1 "
    "AND payment_status = 'unpaid' AND cancelled_at IS NULL ORDER BY pay_by LIMIT $2";
// Paid pledges of projects that failed or were cancelled: their money goes back.
constexpr const char* kPaidOfEndedProjects =
    "SELECT g.id FROM cf_pledges g JOIN cf_projects p ON p.id = g.project_id "
    "WHERE g.payment_status = 'paid' AND (p.cancelled_at IS NOT NULL "
    "OR p.decided_status = 'failed') ORDER BY g.seq LIMIT $1";

constexpr const char* kChangeBackerCount =
    "UPDATE cf_projects SET backer_count = backer_count + CAST($2 AS BIGINT) WHERE id = $1";

constexpr const char* kFindReward =
    "SELECT project_id, min_amount, retired_at IS NOT NULL FROM cf_rewards WHERE id = $1";

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
    "INSERT INTO cf_pledges (id, project_id, user_id, reward_id, amount, created_at, "
    "payment_status, pay_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

constexpr const char* kFindPledge =
    "SELECT id, project_id, user_id, reward_id, amount, created_at, cancelled_at, "
    "payment_status, pay_by FROM cf_pledges WHERE id = $1";

constexpr const char* kMarkPledgeCancelled =
    "UPDATE cf_pledges SET cancelled_at = $2 WHERE id = $1 AND cancelled_at IS NULL";

constexpr const char* kProjectPledges =
    "SELECT id, project_id, user_id, reward_id, amount, created_at, cancelled_at, "
    "payment_status, pay_by FROM cf_pledges WHERE project_id = $1 ORDER BY created_at DESC, seq "
    "DESC LIMIT $2 OFFSET $3";
constexpr const char* kCountProjectPledges =
    "SELECT COUNT(*) FROM cf_pledges WHERE project_id = $1";

constexpr const char* kUserPledges =
    "SELECT g.id, g.project_id, g.user_id, g.reward_id, g.amount, g.created_at, g.cancelled_at, "
    "g.payment_status, g.pay_by, p.title FROM cf_pledges g JOIN cf_projects p ON p.id = "
    "g.project_id WHERE g.user_id = $1 "
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
  p.payment_status = r.str(7);
  p.pay_by = r.opt_i64(8);
  if (r.size() > 9) p.project_title = r.str(9);
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
  return RewardRef{row->str(0), row->i64(1), row->boolean(2)};
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
  // Deferred: nothing needs its result (PostgreSQL sends it with the next statement, as an
  // order's inserts are sent); a failure of it is still thrown before the transaction commits.
  c.exec_deferred(kInsertPledge, {p.id, p.project_id, p.user_id, p.reward_id, p.amount,
                                  p.created_at, p.payment_status, p.pay_by});
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

int64_t take_from_raised_any_time(db::Connection& c, std::string_view project_id, int64_t amount,
                                  int64_t now_ms) {
  return c.exec(kTakeFromRaisedAnyTime, {project_id, amount, now_ms});
}

int64_t mark_pledge_paid(db::Connection& c, std::string_view id) {
  return c.exec(kMarkPledgePaid, {id});
}

int64_t mark_pledge_refunded(db::Connection& c, std::string_view id) {
  return c.exec(kMarkPledgeRefunded, {id});
}

std::vector<std::string> unpaid_pledges_past(db::Connection& c, int64_t now_ms, int limit) {
  std::vector<std::string> out;
  for (const auto& r : c.query(kUnpaidPast, {now_ms, limit}).rows) out.push_back(r.str(0));
  return out;
}

constexpr const char* kPaidBackers =
    "SELECT DISTINCT user_id FROM cf_pledges WHERE project_id = $1 AND payment_status = 'paid' "
    "AND cancelled_at IS NULL";

std::vector<std::string> paid_backers_of(db::Connection& c, std::string_view project_id) {
  std::vector<std::string> out;
  for (const auto& r : c.query(kPaidBackers, {project_id}).rows) out.push_back(r.str(0));
  return out;
}

std::vector<std::string> paid_pledges_of_ended_projects(db::Connection& c, int limit) {
  std::vector<std::string> out;
  for (const auto& r : c.query(kPaidOfEndedProjects, {limit}).rows) out.push_back(r.str(0));
  return out;
}

}  // namespace o4o::services::crowdfunding::repo
