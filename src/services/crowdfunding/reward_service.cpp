// Rewards after launch. A creator adds rewards, edits them and retires the ones nobody claims,
// while the project is active. What a backer chose stays as chosen: the minimum of a reward that
// someone has claimed does not change, its limit never goes below its claims, and a claimed
// reward cannot be retired. Every change first takes the project's row lock (lock_active_project),
// the lock a pledge takes first too, so these rules hold against concurrent pledges.
#include "cached.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "repository.hpp"
#include "service.hpp"

namespace o4o::services::crowdfunding {
namespace {

// 404 unless the project exists, 403 unless the user owns it (or is an admin), 409 unless it is
// active; then the project is locked for this transaction, and its cached copies go at commit.
void lock_for_rewards(db::Connection& c, const core::AuthUser& user, const std::string& project_id,
                      int64_t now) {
  const Project p = load_project(c, project_id, now);
  core::require_owner_or_admin(user, p.creator_id);
  if (repo::lock_active_project(c, project_id, now) == 0) {
    throw core::err::conflict("CONFLICT", "Rewards can change only while the project is active");
  }
  cached::project_changed(c, project_id);
}

Reward existing_reward(db::Connection& c, const std::string& project_id,
                       const std::string& reward_id) {
  auto reward = core::is_uuid(reward_id) ? repo::find_project_reward(c, project_id, reward_id)
                                         : std::nullopt;
  if (!reward) throw core::err::not_found("Reward not found");
  return std::move(*reward);
}

}  // namespace

Project CrowdfundingService::add_reward(const core::AuthUser& user, const std::string& project_id,
                                        const NewReward& in) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    lock_for_rewards(c, user, project_id, now);
    if (repo::count_live_rewards(c, project_id) >= static_cast<int64_t>(kMaxRewards)) {
      throw core::err::conflict("CONFLICT", "A project has at most " +
                                                std::to_string(kMaxRewards) + " rewards");
    }
    const Reward r{core::new_uuid(), in.title, in.description, in.min_amount, in.limit, 0};
    repo::insert_reward(c, project_id, repo::next_reward_position(c, project_id), r);
    return load_project(c, project_id, now);
  });
}

Project CrowdfundingService::update_reward(const core::AuthUser& user,
                                           const std::string& project_id,
                                           const std::string& reward_id,
                                           const RewardChanges& changes) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    lock_for_rewards(c, user, project_id, now);
    Reward r = existing_reward(c, project_id, reward_id);
    if (changes.min_amount && *changes.min_amount != r.min_amount && r.claimed > 0) {
      throw core::err::conflict("CONFLICT",
                                "The minimum cannot change once someone has chosen this reward");
    }
    if (changes.limit_set && changes.limit && *changes.limit < r.claimed) {
      throw core::err::conflict("CONFLICT", "The limit cannot go below the " +
                                                std::to_string(r.claimed) + " already claimed");
    }
    if (changes.title) r.title = *changes.title;
    if (changes.description) r.description = *changes.description;
    if (changes.min_amount) r.min_amount = *changes.min_amount;
    if (changes.limit_set) r.limit = changes.limit;
    repo::update_reward(c, r);
    return load_project(c, project_id, now);
  });
}

void CrowdfundingService::retire_reward(const core::AuthUser& user, const std::string& project_id,
                                        const std::string& reward_id) {
  const int64_t now = clock_.now_ms();
  db_.write([&](db::Connection& c) {
    lock_for_rewards(c, user, project_id, now);
    existing_reward(c, project_id, reward_id);
    if (repo::retire_reward(c, reward_id, now) == 0) {
      throw core::err::conflict("CONFLICT", "Only a reward that nobody has claimed can be retired");
    }
  });
}

}  // namespace o4o::services::crowdfunding
