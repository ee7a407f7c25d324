#pragma once
// Business rules of crowdfunding: who may do what, in which state, and in which transaction.
// Throws core::ApiError (through core::err) for every refusal; knows nothing of HTTP requests.
#include <string>

#include "core/auth.hpp"
#include "core/clock.hpp"
#include "core/pagination.hpp"
#include "db/database.hpp"
#include "model.hpp"

namespace o4o::services::crowdfunding {

class CrowdfundingService {
 public:
  CrowdfundingService(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // --- projects (service.cpp) ---
  PageOf<Project> list_projects(const ProjectFilter& filter, const core::Page& page);
  Project get_project(const std::string& id);
  Project create_project(const core::AuthUser& user, const NewProject& in);
  Project update_project(const core::AuthUser& user, const std::string& id,
                         const ProjectChanges& changes);
  Project cancel_project(const core::AuthUser& user, const std::string& id);

  // --- pledges (pledge_service.cpp) ---
  // before_commit runs inside the pledge's transaction once the pledge is in it (the route records
  // the Idempotency-Key answer there, so that both commit together).
  PledgeOutcome fund(const core::AuthUser& user, const std::string& project_id,
                     const PledgeRequest& in,
                     const db::BeforeCommit<PledgeOutcome>& before_commit = {});
  PledgeOutcome cancel_pledge(const core::AuthUser& user, const std::string& pledge_id);
  PageOf<Pledge> project_pledges(const core::AuthUser& user, const std::string& project_id,
                                 const core::Page& page);
  PageOf<Pledge> my_pledges(const core::AuthUser& user, const core::Page& page);

 private:
  db::Database& db_;
  const core::Clock& clock_;
};

// The project with its rewards and its status as of now_ms; 404 NOT_FOUND when there is none.
Project load_project(db::Connection& c, const std::string& id, int64_t now_ms);

}  // namespace o4o::services::crowdfunding
