// Pledging and cancelling pledges. Every change to raised, backer_count and a reward's claimed
// happens in the transaction that inserts or cancels the pledge, through conditional updates, so
// the counters stay exact under any concurrency:
//  - the first statement of a pledge or a cancellation updates the project row (PostgreSQL then
//    holds its row lock to the end of the transaction; SQLite has one writer), which orders all
//    counter changes of one project;
//  - a limited reward is claimed with `claimed < reward_limit` in the WHERE clause;
//  - backer_count moves only when a backer's live pledges go 0 -> 1 or 1 -> 0 (cf_backers).
#include "cached.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "repository.hpp"
#include "service.hpp"

namespace o4o::services::crowdfunding {
namespace {

// Why add_to_raised changed nothing: the project is unknown, not active, or at the money cap.
[[noreturn]] void explain_closed(db::Connection& c, const std::string& project_id, int64_t now) {
  const Project p = load_project(c, project_id, now);
  if (p.status != Status::active) {
    throw core::err::conflict("FUNDING_CLOSED", "This project is not accepting pledges");
  }
  throw core::err::conflict("CONFLICT", "This pledge would take the project over the money limit");
}

}  // namespace

Pledge CrowdfundingService::prepare_pledge(const core::AuthUser& user,
                                           const std::string& project_id,
                                           const PledgeRequest& in) const {
  if (!core::is_uuid(project_id)) throw core::err::not_found("Project not found");
  const int64_t now = clock_.now_ms();
  Pledge pledge;
  // Time-ordered, as orders' ids are: grouped pledges append to the id index.
  pledge.id = core::new_time_ordered_uuid(now);
  pledge.project_id = project_id;
  pledge.user_id = user.id;
  pledge.reward_id = in.reward_id;
  pledge.amount = in.amount;
  pledge.created_at = now;
  // Without payments a pledge is a promise, counted as paid; with them it waits for its money.
  pledge.payment_status = payments_ ? "unpaid" : "paid";
  if (payments_ && pay_within_ms_ > 0) pledge.pay_by = now + pay_within_ms_;
  return pledge;
}

PledgeOutcome CrowdfundingService::fund_in(db::Connection& c, const Pledge& pledge) const {
  const std::string& project_id = pledge.project_id;
  const int64_t now = pledge.created_at;
  cached::project_changed(c, project_id);
  if (repo::add_to_raised(c, project_id, pledge.amount, now) == 0)
    explain_closed(c, project_id, now);
  if (pledge.reward_id) {
    auto reward = repo::find_reward(c, *pledge.reward_id);
    if (!reward || reward->project_id != project_id) {
      throw core::err::validation("rewardId", "No such reward on this project");
    }
    if (pledge.amount < reward->min_amount) {
      throw core::err::validation("amount", "Must be at least the reward's minimum of " +
                                                std::to_string(reward->min_amount));
    }
    if (reward->retired || repo::claim_reward(c, *pledge.reward_id) == 0) {
      throw core::err::conflict("REWARD_UNAVAILABLE", "This reward is no longer available");
    }
  }
  repo::insert_pledge(c, pledge);
  if (repo::add_backer_pledge(c, project_id, pledge.user_id) == 1) {
    repo::change_backer_count(c, project_id, +1);
  }
  return PledgeOutcome{pledge, load_project(c, project_id, now)};
}

PledgeOutcome CrowdfundingService::fund(const core::AuthUser& user, const std::string& project_id,
                                        const PledgeRequest& in,
                                        const db::BeforeCommit<PledgeOutcome>& before_commit) {
  const Pledge pledge = prepare_pledge(user, project_id, in);
  return db_.write([&](db::Connection& c) {
    PledgeOutcome outcome = fund_in(c, pledge);
    if (before_commit) before_commit(c, outcome);
    return outcome;
  });
}

PledgeOutcome CrowdfundingService::cancel_pledge(const core::AuthUser& user,
                                                 const std::string& pledge_id) {
  if (!core::is_uuid(pledge_id)) throw core::err::not_found("Pledge not found");
  const int64_t now = clock_.now_ms();
  const auto ledger = payments_ ? payments_->ledger() : nullptr;
  bool refund_queued = false;
  auto outcome = db_.write([&](db::Connection& c) {
    auto pledge = repo::find_pledge(c, pledge_id);
    if (!pledge) throw core::err::not_found("Pledge not found");
    core::require_owner_or_admin_hidden(user, pledge->user_id);
    cached::project_changed(c, pledge->project_id);
    if (repo::mark_pledge_cancelled(c, pledge_id, now) == 0) {
      throw core::err::conflict("INVALID_TRANSITION", "This pledge is already cancelled");
    }
    if (repo::take_from_raised(c, pledge->project_id, pledge->amount, now) == 0) {
      throw core::err::conflict("FUNDING_CLOSED", "This project is no longer active");
    }
    release_claims(c, *pledge);
    if (ledger) {
      // A paid pledge cancelled while the project is active gets its money back.
      refund_queued = ledger->refund_all(c, "pledge", pledge_id, "pledge cancelled", now);
      ledger->void_pending(c, "pledge", pledge_id, now);
    }
    pledge->cancelled_at = now;
    return PledgeOutcome{*pledge, load_project(c, pledge->project_id, now)};
  });
  if (refund_queued) ledger->wake();
  return outcome;
}

// The reward and the backer a cancelled pledge held go back.
void CrowdfundingService::release_claims(db::Connection& c, const Pledge& pledge) const {
  if (pledge.reward_id) repo::release_reward(c, *pledge.reward_id);
  if (repo::remove_backer_pledge(c, pledge.project_id, pledge.user_id) == 0) {
    repo::change_backer_count(c, pledge.project_id, -1);
  }
}

PageOf<Pledge> CrowdfundingService::project_pledges(const core::AuthUser& user,
                                                    const std::string& project_id,
                                                    const core::Page& page) {
  return db_.read([&](db::Connection& c) {
    if (!core::is_uuid(project_id)) throw core::err::not_found("Project not found");
    auto project = repo::find_project(c, project_id);
    if (!project) throw core::err::not_found("Project not found");
    core::require_owner_or_admin(user, project->creator_id);
    return repo::project_pledges(c, project_id, page.limit, page.offset());
  });
}

PageOf<Pledge> CrowdfundingService::my_pledges(const core::AuthUser& user, const core::Page& page) {
  return db_.read(
      [&](db::Connection& c) { return repo::user_pledges(c, user.id, page.limit, page.offset()); });
}

}  // namespace o4o::services::crowdfunding
