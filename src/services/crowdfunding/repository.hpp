#pragma once
// SQL only: each statement is a named constant in the .cpp files; parameters in, rows out. The
// conditional updates here are what keeps the counters exact under concurrency — the service
// decides what a 0-row answer means.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "model.hpp"

namespace o4o::services::crowdfunding::repo {

// --- projects (project_repository.cpp) ---

// The project without its rewards.
std::optional<Project> find_project(db::Connection& c, std::string_view id);
// Fills the rewards of each project (in the order given at creation).
void load_rewards(db::Connection& c, std::vector<Project>& projects);
void insert_project(db::Connection& c, const Project& p);
void insert_reward(db::Connection& c, std::string_view project_id, int64_t position,
                   const Reward& r);
// Newest first; total counts every match.
PageOf<Project> list_projects(db::Connection& c, const ProjectFilter& f, int64_t now_ms,
                              int64_t limit, int64_t offset);
// Any of the text fields; rows changed.
int64_t update_project_text(db::Connection& c, std::string_view id, const ProjectChanges& ch,
                            int64_t now_ms);
// Goal and/or deadline, only while the project is active and no pledge was ever made.
int64_t update_project_terms(db::Connection& c, std::string_view id, std::optional<int64_t> goal,
                             std::optional<int64_t> deadline, int64_t now_ms);
// Only while active.
int64_t cancel_project(db::Connection& c, std::string_view id, int64_t now_ms);
// Projects by this creator (seed).
int64_t count_projects_by(db::Connection& c, std::string_view creator_id);

// --- rewards after launch (reward_repository.cpp) ---

// Bumps updated_at of an active project, taking its row lock; rows changed (0: not active).
int64_t lock_active_project(db::Connection& c, std::string_view project_id, int64_t now_ms);
// A reward of this project that is not retired.
std::optional<Reward> find_project_reward(db::Connection& c, std::string_view project_id,
                                          std::string_view reward_id);
int64_t count_live_rewards(db::Connection& c, std::string_view project_id);
// After every reward the project ever had (retired ones included), so the order stays stable.
int64_t next_reward_position(db::Connection& c, std::string_view project_id);
// Title, description, minimum and limit as given.
void update_reward(db::Connection& c, const Reward& r);
// Only while nobody claims it; rows changed.
int64_t retire_reward(db::Connection& c, std::string_view reward_id, int64_t now_ms);

// --- pledges and counters (pledge_repository.cpp) ---

// raised += amount and one more pledge made, only while the project is active and raised stays
// within the money cap; rows changed (0 or 1). Takes the project's row lock on PostgreSQL, which
// orders every pledge and cancellation of one project.
int64_t add_to_raised(db::Connection& c, std::string_view project_id, int64_t amount,
                      int64_t now_ms);
// raised -= amount, only while the project is active; rows changed.
int64_t take_from_raised(db::Connection& c, std::string_view project_id, int64_t amount,
                         int64_t now_ms);
void change_backer_count(db::Connection& c, std::string_view project_id, int64_t delta);

struct RewardRef {
  std::string project_id;
  int64_t min_amount = 0;
  bool retired = false;
};
std::optional<RewardRef> find_reward(db::Connection& c, std::string_view reward_id);
// claimed += 1 unless the limit is reached; rows changed.
int64_t claim_reward(db::Connection& c, std::string_view reward_id);
void release_reward(db::Connection& c, std::string_view reward_id);

// The backer's live pledges on the project after adding / removing one.
int64_t add_backer_pledge(db::Connection& c, std::string_view project_id, std::string_view user_id);
int64_t remove_backer_pledge(db::Connection& c, std::string_view project_id,
                             std::string_view user_id);

void insert_pledge(db::Connection& c, const Pledge& p);
std::optional<Pledge> find_pledge(db::Connection& c, std::string_view id);
// Sets cancelled_at unless already set; rows changed.
int64_t mark_pledge_cancelled(db::Connection& c, std::string_view id, int64_t now_ms);
// Newest first.
PageOf<Pledge> project_pledges(db::Connection& c, std::string_view project_id, int64_t limit,
                               int64_t offset);
// Newest first, each with its project's title.
PageOf<Pledge> user_pledges(db::Connection& c, std::string_view user_id, int64_t limit,
                            int64_t offset);

// --- payments (project_repository.cpp, pledge_repository.cpp) ---
// A project whose status was just fixed at its deadline.
struct EndedProject {
  std::string id, creator_id, title, status;  // status: successful | failed
};
// Fixes the status of every project whose deadline has passed (each once: a conditional update).
std::vector<EndedProject> decide_due_projects(db::Connection& c, int64_t now_ms);
// The distinct backers whose pledges to the project are paid and live.
std::vector<std::string> paid_backers_of(db::Connection& c, std::string_view project_id);
// raised -= amount whatever the project's state (an unpaid pledge expiring); rows changed.
int64_t take_from_raised_any_time(db::Connection& c, std::string_view project_id, int64_t amount,
                                  int64_t now_ms);
// unpaid -> paid for a live pledge; rows changed.
int64_t mark_pledge_paid(db::Connection& c, std::string_view id);
// paid -> refunded; rows changed.
int64_t mark_pledge_refunded(db::Connection& c, std::string_view id);
std::vector<std::string> unpaid_pledges_past(db::Connection& c, int64_t now_ms, int limit);
std::vector<std::string> paid_pledges_of_ended_projects(db::Connection& c, int limit);

}  // namespace o4o::services::crowdfunding::repo
