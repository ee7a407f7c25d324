// Pledges as something the payments service takes money for: what a pledge owes, when it is
// paid, what happens when its money goes back, and the time-driven rules (a project's status
// decided at its deadline, unpaid pledges expiring). Each change is a conditional update, so
// several instances running the settlement never apply one twice.
#include "cached.hpp"
#include "core/ids.hpp"
#include "mail/notify.hpp"
#include "repository.hpp"
#include "service.hpp"

namespace o4o::services::crowdfunding {

std::optional<core::PayableTarget> CrowdfundingService::payable(db::Connection& c,
                                                                const std::string& id) const {
  auto pledge = repo::find_pledge(c, id);
  if (!pledge) return std::nullopt;
  auto project = repo::find_project(c, pledge->project_id);
  if (!project) return std::nullopt;
  const bool open = !pledge->cancelled_at && pledge->payment_status == "unpaid" &&
                    project->status_at(clock_.now_ms()) == Status::active;
  return core::PayableTarget{pledge->id,     pledge->user_id,    pledge->amount,
                             project->title, open,               project->creator_id,
                             "/projects/" + project->id};
}

bool CrowdfundingService::mark_paid(db::Connection& c, const std::string& id, int64_t now) const {
  auto pledge = repo::find_pledge(c, id);
  if (!pledge) return false;
  auto project = repo::find_project(c, pledge->project_id);
  if (!project || project->status_at(now) != Status::active) return false;
  return repo::mark_pledge_paid(c, id) == 1;
}

void CrowdfundingService::mark_refunded(db::Connection& c, const std::string& id,
                                        int64_t now) const {
  if (repo::mark_pledge_refunded(c, id) == 0) return;
  auto pledge = repo::find_pledge(c, id);
  if (!pledge || pledge->cancelled_at) return;
  cached::project_changed(c, pledge->project_id);
  // Refunded while the project still runs: the pledge no longer counts. After the deadline (or
  // when cancelled) the pledge stays as history, its money given back.
  auto project = repo::find_project(c, pledge->project_id);
  if (!project || project->status_at(now) != Status::active) return;
  if (repo::mark_pledge_cancelled(c, id, now) == 0) return;
  repo::take_from_raised(c, pledge->project_id, pledge->amount, now);
  release_claims(c, *pledge);
}

std::vector<std::string> CrowdfundingService::expire_unpaid(db::Connection& c, int64_t now,
                                                            int limit) const {
  std::vector<std::string> expired;
  for (const auto& id : repo::unpaid_pledges_past(c, now, limit)) {
    auto pledge = repo::find_pledge(c, id);
    if (!pledge || pledge->payment_status != "unpaid") continue;
    // The project's row first (its lock orders every counter change of the project), then the
    // conditional update that only one instance wins.
    repo::take_from_raised_any_time(c, pledge->project_id, 0, now);
    if (repo::mark_pledge_cancelled(c, id, now) == 0) continue;
    cached::project_changed(c, pledge->project_id);
    repo::take_from_raised_any_time(c, pledge->project_id, pledge->amount, now);
    release_claims(c, *pledge);
    expired.push_back(id);
  }
  return expired;
}

std::vector<std::string> CrowdfundingService::due_for_refund(db::Connection& c, int limit) const {
  return repo::paid_pledges_of_ended_projects(c, limit);
}

// Each project is decided once (a conditional update), and its "project ended" mails are written
// in that same transaction: to its creator and to every backer with a paid pledge.
int CrowdfundingService::decide_deadlines(db::Connection& c, int64_t now) const {
  const auto ended = repo::decide_due_projects(c, now);
  if (mail_config_) {
    for (const auto& p : ended) {
      const mail::Params params{
          {"title", p.title},
          {"status", p.status},
          {"link", mail::public_base(*mail_config_) + "/crowdfunding/projects/" + p.id}};
      mail::queue_for_user(c, *mail_config_, p.creator_id, "project_ended", params, now);
      for (const auto& backer : repo::paid_backers_of(c, p.id)) {
        if (backer != p.creator_id)
          mail::queue_for_user(c, *mail_config_, backer, "project_ended", params, now);
      }
    }
  }
  if (!ended.empty()) c.note_change(cached::kAllProjects);
  return static_cast<int>(ended.size());
}

}  // namespace o4o::services::crowdfunding
