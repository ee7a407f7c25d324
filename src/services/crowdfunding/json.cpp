#include "json.hpp"

#include <boost/json/array.hpp>

#include "core/time_format.hpp"

namespace o4o::services::crowdfunding {
namespace {

boost::json::value optional_string(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::value(*s);
}

boost::json::value optional_time(const std::optional<int64_t>& t) {
  if (!t) return nullptr;
  return boost::json::value(core::format_timestamp(*t));
}

boost::json::object reward_json(const Reward& r) {
  boost::json::object o;
  o["id"] = r.id;
  o["title"] = r.title;
  o["description"] = r.description;
  o["minAmount"] = r.min_amount;
  o["limit"] = r.limit ? boost::json::value(*r.limit) : boost::json::value(nullptr);
  o["claimed"] = r.claimed;
  return o;
}

}  // namespace

boost::json::object project_json(const Project& p) {
  boost::json::object o;
  o["id"] = p.id;
  o["title"] = p.title;
  o["description"] = p.description;
  o["imageUrl"] = optional_string(p.image_url);
  o["goal"] = p.goal;
  o["raised"] = p.raised;
  o["backerCount"] = p.backer_count;
  o["deadline"] = core::format_timestamp(p.deadline);
  o["status"] = status_name(p.status);
  o["creatorId"] = p.creator_id;
  o["creatorName"] = p.creator_name;
  boost::json::array rewards;
  for (const auto& r : p.rewards) rewards.emplace_back(reward_json(r));
  o["rewards"] = std::move(rewards);
  o["createdAt"] = core::format_timestamp(p.created_at);
  o["updatedAt"] = core::format_timestamp(p.updated_at);
  return o;
}

boost::json::object pledge_json(const Pledge& p) {
  boost::json::object o;
  o["id"] = p.id;
  o["projectId"] = p.project_id;
  o["userId"] = p.user_id;
  o["amount"] = p.amount;
  o["rewardId"] = optional_string(p.reward_id);
  o["createdAt"] = core::format_timestamp(p.created_at);
  o["cancelledAt"] = optional_time(p.cancelled_at);
  o["paymentStatus"] = p.payment_status;
  // When an unpaid pledge is cancelled unless its payment is taken (null: no limit).
  o["payBy"] = optional_time(p.pay_by);
  return o;
}

boost::json::object pledge_outcome_json(const PledgeOutcome& o) {
  boost::json::object out;
  out["pledge"] = pledge_json(o.pledge);
  out["project"] = project_json(o.project);
  return out;
}

boost::json::object cancelled_pledge_json(const PledgeOutcome& o) {
  boost::json::object out = pledge_json(o.pledge);
  out["project"] = project_json(o.project);
  return out;
}

boost::json::object projects_page_json(const PageOf<Project>& page, const core::Page& p) {
  return core::page_json(page, p, project_json);
}

boost::json::object pledges_page_json(const PageOf<Pledge>& page, const core::Page& p,
                                      bool with_title) {
  return core::page_json(page, p, [with_title](const Pledge& pledge) {
    auto o = pledge_json(pledge);
    if (with_title) o["projectTitle"] = pledge.project_title;
    return o;
  });
}

}  // namespace o4o::services::crowdfunding
