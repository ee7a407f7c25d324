#include "requests.hpp"

#include <string>

#include "core/pagination.hpp"

namespace o4o::services::crowdfunding {
namespace {

using core::Need;

std::optional<int64_t> parse_deadline(core::JsonBody& body, Need need, int64_t now_ms) {
  auto deadline = body.timestamp("deadline", need);
  if (deadline && *deadline <= now_ms) {
    body.fail("deadline", "Must be in the future");
    return std::nullopt;
  }
  return deadline;
}

// One reward of a new project or one added later; nullopt when a problem was recorded.
std::optional<NewReward> read_reward(core::JsonBody& r) {
  auto title = r.string("title", Need::required, 1, kTitleMax);
  auto description = r.string("description", Need::optional, 0, kRewardDescriptionMax);
  auto min_amount = r.integer("minAmount", Need::required, 1);
  auto limit = r.integer("limit", Need::optional, 1);
  if (!title || !min_amount) return std::nullopt;
  return NewReward{*title, description.value_or(""), *min_amount, limit};
}

std::vector<NewReward> parse_rewards(core::JsonBody& body) {
  std::vector<NewReward> rewards;
  const boost::json::value* list = body.get("rewards");
  if (list == nullptr || list->is_null()) return rewards;
  if (!list->is_array()) {
    body.fail("rewards", "Must be an array");
    return rewards;
  }
  if (list->as_array().size() > kMaxRewards) {
    body.fail("rewards", "At most " + std::to_string(kMaxRewards) + " rewards");
    return rewards;
  }
  std::size_t i = 0;
  for (const auto& item : list->as_array()) {
    core::JsonBody r = core::nested(item, "rewards[" + std::to_string(i++) + "]", body);
    if (auto reward = read_reward(r)) rewards.push_back(std::move(*reward));
  }
  return rewards;
}

}  // namespace

NewProject parse_new_project(core::JsonBody& body, int64_t now_ms) {
  NewProject p;
  auto title = body.string("title", Need::required, 1, kTitleMax);
  auto description = body.string("description", Need::required, 0, kDescriptionMax);
  p.image_url = body.url("imageUrl", Need::optional);
  auto goal = body.integer("goal", Need::required, 1);
  auto deadline = parse_deadline(body, Need::required, now_ms);
  p.rewards = parse_rewards(body);
  body.finish();
  p.title = *title;
  p.description = *description;
  p.goal = *goal;
  p.deadline = *deadline;
  return p;
}

ProjectChanges parse_project_changes(core::JsonBody& body, int64_t now_ms) {
  ProjectChanges ch;
  ch.title = body.string("title", Need::optional, 1, kTitleMax);
  ch.description = body.string("description", Need::optional, 0, kDescriptionMax);
  ch.image_url_set = body.object().contains("imageUrl");  // null removes the image
  if (ch.image_url_set) ch.image_url = body.url("imageUrl", Need::optional);
  ch.goal = body.integer("goal", Need::optional, 1);
  ch.deadline = parse_deadline(body, Need::optional, now_ms);
  body.finish();
  return ch;
}

NewReward parse_new_reward(core::JsonBody& body) {
  auto reward = read_reward(body);
  body.finish();
  return std::move(*reward);
}

RewardChanges parse_reward_changes(core::JsonBody& body) {
  RewardChanges ch;
  ch.title = body.string("title", Need::optional, 1, kTitleMax);
  ch.description = body.string("description", Need::optional, 0, kRewardDescriptionMax);
  ch.min_amount = body.integer("minAmount", Need::optional, 1);
  ch.limit_set = body.object().contains("limit");  // null lifts the limit
  if (ch.limit_set) ch.limit = body.integer("limit", Need::optional, 1);
  body.finish();
  return ch;
}

PledgeRequest parse_pledge(core::JsonBody& body) {
  PledgeRequest p;
  auto amount = body.integer("amount", Need::required, 1);
  p.reward_id = body.id("rewardId", Need::optional);
  body.finish();
  p.amount = *amount;
  return p;
}

ProjectFilter parse_project_filter(const core::Request& req) {
  ProjectFilter f;
  auto status = core::query_enum(req, "status", {"active", "successful", "failed", "cancelled"});
  if (status) f.status = parse_status(*status);
  f.q = core::query_text(req, "q");
  if (f.q && f.q->empty()) f.q.reset();
  f.creator_id = core::query_text(req, "creatorId", 100);
  if (f.creator_id && f.creator_id->empty()) f.creator_id.reset();
  if (auto sort = core::query_enum(req, "sort", {"newest", "popular", "ending"})) {
    f.sort = *sort == "popular" ? ProjectSort::popular
             : *sort == "ending" ? ProjectSort::ending
                                 : ProjectSort::newest;
  }
  return f;
}

}  // namespace o4o::services::crowdfunding
