#pragma once
// Request bodies and query strings into the model's input values, collecting every problem into
// one 400 VALIDATION_ERROR. Pure functions of their input (and of `now` for deadlines), so unit
// tests call them without a server.
#include <cstdint>

#include "core/http.hpp"
#include "core/json_body.hpp"
#include "model.hpp"

namespace o4o::services::crowdfunding {

inline constexpr std::size_t kTitleMax = 200;
inline constexpr std::size_t kDescriptionMax = 10000;
inline constexpr std::size_t kRewardDescriptionMax = 2000;

// {title, description, imageUrl?, goal, deadline, rewards?}
NewProject parse_new_project(core::JsonBody& body, int64_t now_ms);
// {title?, description?, imageUrl?, goal?, deadline?}
ProjectChanges parse_project_changes(core::JsonBody& body, int64_t now_ms);
// {title, description?, minAmount, limit?}: a reward added after launch.
NewReward parse_new_reward(core::JsonBody& body);
// {title?, description?, minAmount?, limit?}: limit null means no limit.
RewardChanges parse_reward_changes(core::JsonBody& body);
// {amount, rewardId?}
PledgeRequest parse_pledge(core::JsonBody& body);
// ?status=&q=&creatorId=
ProjectFilter parse_project_filter(const core::Request& req);

}  // namespace o4o::services::crowdfunding
