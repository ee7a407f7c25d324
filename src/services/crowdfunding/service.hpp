#pragma once
// Business rules of crowdfunding: who may do what, in which state, and in which transaction.
// Throws core::ApiError (through core::err) for every refusal; knows nothing of HTTP requests.
#include <optional>
#include <string>
#include <string_view>

#include "core/auth.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/pagination.hpp"
#include "core/read_cache.hpp"
#include "core/payment_port.hpp"
#include "db/database.hpp"
#include "model.hpp"

namespace o4o::services::crowdfunding {

class CrowdfundingService {
 public:
  // `payments` links pledges to the payments ledger (null: no payments); a pledge must be paid
  // within pay_within_ms (0: no limit, it never expires).
  // With mail_config, a project's end is mailed to its creator and backers. cache: where
  // rendered projects and first list pages are kept (null: none).
  CrowdfundingService(db::Database& db, const core::Clock& clock,
                      core::PaymentHub* payments = nullptr, int64_t pay_within_ms = 0,
                      const core::Config* mail_config = nullptr, core::ReadCache* cache = nullptr)
      : db_(db),
        clock_(clock),
        payments_(payments),
        pay_within_ms_(pay_within_ms),
        mail_config_(mail_config),
        cache_(cache) {}

  // --- projects (service.cpp) ---
  PageOf<Project> list_projects(const ProjectFilter& filter, const core::Page& page);
  Project get_project(const std::string& id);
  Project create_project(const core::AuthUser& user, const NewProject& in);
  Project update_project(const core::AuthUser& user, const std::string& id,
                         const ProjectChanges& changes);
  Project cancel_project(const core::AuthUser& user, const std::string& id);
  // The contract's JSON of get_project(id) and list_projects(filter, page), serialized, from the
  // read cache when it holds them (a project; the first page of the unfiltered list). An active
  // project's entry expires at its deadline, when its status changes with no write.
  core::ReadCache::Text get_project_json(const std::string& id);
  core::ReadCache::Text list_projects_json(const ProjectFilter& filter, const core::Page& page);
  // The read cache's keys of those two; nullopt for what is not cached (an id we could not have
  // issued, a filtered list, a later page). The routes name the same keys to answer hits on the
  // IO thread.
  static std::optional<std::string> project_key(std::string_view id);
  static std::optional<std::string> list_key(const ProjectFilter& filter, const core::Page& page);

  // --- rewards after launch (reward_service.cpp); owner or admin, while the project is active ---
  Project add_reward(const core::AuthUser& user, const std::string& project_id,
                     const NewReward& in);
  Project update_reward(const core::AuthUser& user, const std::string& project_id,
                        const std::string& reward_id, const RewardChanges& changes);
  void retire_reward(const core::AuthUser& user, const std::string& project_id,
                     const std::string& reward_id);

  // --- pledges (pledge_service.cpp) ---
  // before_commit runs inside the pledge's transaction once the pledge is in it (the route records
  // the Idempotency-Key answer there, so that both commit together).
  PledgeOutcome fund(const core::AuthUser& user, const std::string& project_id,
                     const PledgeRequest& in,
                     const db::BeforeCommit<PledgeOutcome>& before_commit = {});
  // fund() in two halves, for group commit: prepare_pledge() checks the request (404) and fixes
  // the pledge's id and time; fund_in() is the transaction's work, run on c inside a transaction.
  Pledge prepare_pledge(const core::AuthUser& user, const std::string& project_id,
                        const PledgeRequest& in) const;
  PledgeOutcome fund_in(db::Connection& c, const Pledge& pledge) const;
  PledgeOutcome cancel_pledge(const core::AuthUser& user, const std::string& pledge_id);
  PageOf<Pledge> project_pledges(const core::AuthUser& user, const std::string& project_id,
                                 const core::Page& page);
  PageOf<Pledge> my_pledges(const core::AuthUser& user, const core::Page& page);

  // --- for the payments service (core::PayableKind "pledge"; pledge_payments.cpp), inside its
  // transaction ---
  std::optional<core::PayableTarget> payable(db::Connection& c, const std::string& id) const;
  bool mark_paid(db::Connection& c, const std::string& id, int64_t now) const;
  void mark_refunded(db::Connection& c, const std::string& id, int64_t now) const;
  std::vector<std::string> expire_unpaid(db::Connection& c, int64_t now, int limit) const;
  std::vector<std::string> due_for_refund(db::Connection& c, int limit) const;
  int decide_deadlines(db::Connection& c, int64_t now) const;

 private:
  void release_claims(db::Connection& c, const Pledge& pledge) const;

  db::Database& db_;
  const core::Clock& clock_;
  core::PaymentHub* payments_;
  int64_t pay_within_ms_;
  const core::Config* mail_config_;
  core::ReadCache* cache_;
};

// The project with its rewards and its status as of now_ms; 404 NOT_FOUND when there is none.
Project load_project(db::Connection& c, const std::string& id, int64_t now_ms);

}  // namespace o4o::services::crowdfunding
