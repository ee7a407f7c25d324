#pragma once
// The crowdfunding domain as plain values: what the repository reads and writes, what the service
// works with, and what the JSON layer renders. No HTTP or database types here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pagination.hpp"

namespace o4o::services::crowdfunding {

enum class Status { active, successful, failed, cancelled };

inline constexpr std::size_t kMaxRewards = 50;  // live (not retired) rewards of one project

// The one status rule, computed at read time so that no job has to run when a deadline passes:
// cancelled wins; before the deadline a project is active; after it, successful when the goal
// was reached and failed otherwise. The SQL filter in the repository follows the same rule.
// Once the deadline has passed, the status decided then (decided) stands, whatever raised does
// later (unpaid pledges expiring lower it); until the settlement decides it, it is computed.
Status project_status(bool cancelled, int64_t deadline_ms, int64_t raised, int64_t goal,
                      int64_t now_ms, std::optional<Status> decided = std::nullopt);
std::string_view status_name(Status status);
std::optional<Status> parse_status(std::string_view text);

struct Reward {
  std::string id;
  std::string title;
  std::string description;
  int64_t min_amount = 0;
  std::optional<int64_t> limit;  // nullopt: unlimited
  int64_t claimed = 0;
};

struct Project {
  std::string id;
  std::string creator_id;
  std::string title;
  std::string description;
  std::optional<std::string> image_url;
  int64_t goal = 0;
  int64_t raised = 0;
  int64_t backer_count = 0;
  int64_t pledges_made = 0;  // ever, cancelled ones included
  int64_t deadline = 0;
  std::optional<int64_t> cancelled_at;
  std::optional<Status> decided;  // successful or failed, fixed once at the deadline
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string creator_name;     // the creator's current name (empty when the account is gone)
  std::vector<Reward> rewards;  // in the order given at creation
  // As of the moment the project was read: set by the service with the same `now` its SQL
  // filter used, so a list filtered by status renders that status.
  Status status = Status::active;

  Status status_at(int64_t now_ms) const {
    return project_status(cancelled_at.has_value(), deadline, raised, goal, now_ms, decided);
  }
};

struct Pledge {
  std::string id;
  std::string project_id;
  std::string user_id;
  std::optional<std::string> reward_id;
  int64_t amount = 0;
  int64_t created_at = 0;
  std::optional<int64_t> cancelled_at;
  std::string payment_status = "unpaid";  // unpaid | paid | refunded
  std::optional<int64_t> pay_by;          // cancelled when still unpaid then
  std::string project_title;              // filled for the caller's own list
};

// --- inputs, already validated for shape by the routes ---

struct NewReward {
  std::string title;
  std::string description;
  int64_t min_amount = 0;
  std::optional<int64_t> limit;
};

// PUT /projects/:id/rewards/:rewardId: only the fields that are set change.
struct RewardChanges {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<int64_t> min_amount;
  bool limit_set = false;  // limit was sent: a number, or null for no limit
  std::optional<int64_t> limit;
};

struct NewProject {
  std::string title;
  std::string description;
  std::optional<std::string> image_url;
  int64_t goal = 0;
  int64_t deadline = 0;
  std::vector<NewReward> rewards;
};

struct ProjectChanges {
  std::optional<std::string> title;
  std::optional<std::string> description;
  bool image_url_set = false;  // imageUrl was sent: a URL, or null to remove it
  std::optional<std::string> image_url;
  std::optional<int64_t> goal;
  std::optional<int64_t> deadline;
};

// ?sort=: newest first (the default), most backers first, or the soonest deadline of the active
// ones first (then the ended ones, latest deadline first).
enum class ProjectSort { newest, popular, ending };

struct ProjectFilter {
  std::optional<Status> status;
  std::optional<std::string> q;
  std::optional<std::string> creator_id;
  ProjectSort sort = ProjectSort::newest;
};

struct PledgeRequest {
  int64_t amount = 0;
  std::optional<std::string> reward_id;
};

// A pledge with the project as it is after the change.
struct PledgeOutcome {
  Pledge pledge;
  Project project;
};

// One page of a list: the platform's one page type.
using core::PageOf;

}  // namespace o4o::services::crowdfunding
