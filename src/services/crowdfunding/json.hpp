#pragma once
// JSON rendering of the crowdfunding values, field names as the contract spells them.
#include <boost/json/object.hpp>

#include "core/pagination.hpp"
#include "model.hpp"

namespace o4o::services::crowdfunding {

boost::json::object project_json(const Project& p);
// {id, projectId, userId, amount, rewardId, createdAt, cancelledAt}
boost::json::object pledge_json(const Pledge& p);
// {pledge, project}: the answer to a pledge.
boost::json::object pledge_outcome_json(const PledgeOutcome& o);
// The pledge's own fields plus the project after the change: the answer to a cancellation.
boost::json::object cancelled_pledge_json(const PledgeOutcome& o);

boost::json::object projects_page_json(const PageOf<Project>& page, const core::Page& p);
// with_title: add projectTitle to each pledge (the caller's own list).
boost::json::object pledges_page_json(const PageOf<Pledge>& page, const core::Page& p,
                                      bool with_title);

}  // namespace o4o::services::crowdfunding
