// Rewards changed after launch (reward_service.cpp): SQL only.
#include "repository.hpp"

namespace o4o::services::crowdfunding::repo {
namespace {

// The first statement of every reward change: takes the project's row lock on PostgreSQL (as a
// pledge's first statement does), so a reward is never edited or retired between a pledge's
// check of it and its claim. Only while the project is active.
constexpr const char* kLockActiveProject =
    "UPDATE cf_projects SET updated_at = $2 "
    "WHERE id = $1 AND cancelled_at IS NULL AND deadline > $2";

constexpr const char* kFindProjectReward =
    "SELECT id, title, description, min_amount, reward_limit, claimed FROM cf_rewards "
    "WHERE id = $1 AND project_id = $2 AND retired_at IS NULL";

constexpr const char* kCountLiveRewards =
    "SELECT COUNT(*) FROM cf_rewards WHERE project_id = $1 AND retired_at IS NULL";

constexpr const char* kNextRewardPosition =
    "SELECT COALESCE(MAX(position), -1) + 1 FROM cf_rewards WHERE project_id = $1";

constexpr const char* kUpdateReward =
    "UPDATE cf_rewards SET title = $2, description = $3, min_amount = $4, reward_limit = $5 "
    "WHERE id = $1";

constexpr const char* kRetireReward =
    "UPDATE cf_rewards SET retired_at = $2 WHERE id = $1 AND claimed = 0 AND retired_at IS NULL";

}  // namespace

int64_t lock_active_project(db::Connection& c, std::string_view project_id, int64_t now_ms) {
  return c.exec(kLockActiveProject, {project_id, now_ms});
}

std::optional<Reward> find_project_reward(db::Connection& c, std::string_view project_id,
                                          std::string_view reward_id) {
  auto r = c.query_one(kFindProjectReward, {reward_id, project_id});
  if (!r) return std::nullopt;
  return Reward{r->str(0), r->str(1), r->str(2), r->i64(3), r->opt_i64(4), r->i64(5)};
}

int64_t count_live_rewards(db::Connection& c, std::string_view project_id) {
  return c.query_one(kCountLiveRewards, {project_id})->i64(0);
}

int64_t next_reward_position(db::Connection& c, std::string_view project_id) {
  return c.query_one(kNextRewardPosition, {project_id})->i64(0);
}

void update_reward(db::Connection& c, const Reward& r) {
  c.exec(kUpdateReward, {r.id, r.title, r.description, r.min_amount, r.limit});
}

int64_t retire_reward(db::Connection& c, std::string_view reward_id, int64_t now_ms) {
  return c.exec(kRetireReward, {reward_id, now_ms});
}

}  // namespace o4o::services::crowdfunding::repo
