// HTTP <-> model: thin handlers that authenticate, read the request, call the service and render
// the answer. Every failure is a thrown core::ApiError, rendered by core.
#include "routes.hpp"

#include <string>

#include "core/envelope.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "json.hpp"
#include "requests.hpp"

namespace o4o::services::crowdfunding {
namespace {

std::string id_param(const core::Request& req) {
  return std::string(req.param("id"));
}
std::string reward_param(const core::Request& req) {
  return std::string(req.param("rewardId"));
}

class Handlers {
 public:
  Handlers(core::AppContext& ctx, std::shared_ptr<CrowdfundingService> service)
      : ctx_(ctx), service_(std::move(service)) {}

  core::Response list_projects(core::Request& req) {
    const auto page = core::parse_page(req);
    const auto filter = parse_project_filter(req);
    return core::ok_serialized(*service_->list_projects_json(filter, page));
  }

  // What the read cache may answer of list_projects and get_project on the IO thread
  // (core::Route::cached): the service's own keys for the same parse.
  std::optional<core::CachedRead> cached_projects(const core::Request& req) const {
    const auto page = core::parse_page(req);
    return core::as_is(CrowdfundingService::list_key(parse_project_filter(req), page));
  }
  std::optional<core::CachedRead> cached_project(const core::Request& req) const {
    return core::as_is(CrowdfundingService::project_key(req.param("id")));
  }

  core::Response create_project(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    const auto in = parse_new_project(body, ctx_.clock.now_ms());
    return core::created(project_json(service_->create_project(req.user(), in)));
  }

  core::Response get_project(core::Request& req) {
    return core::ok_serialized(*service_->get_project_json(id_param(req)));
  }

  // The app's project page with its preview card.
  core::Response project_page(core::Request& req) {
    return ctx_.pages.share(req, req.param("id"), [&](const std::string& id) {
      const Project p = service_->get_project(id);
      return core::ShareCard{p.title, p.description, p.image_url, "website", std::nullopt};
    });
  }

  core::Response update_project(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    const auto changes = parse_project_changes(body, ctx_.clock.now_ms());
    return core::ok(project_json(service_->update_project(req.user(), id_param(req), changes)));
  }

  core::Response add_reward(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    const auto in = parse_new_reward(body);
    return core::created(project_json(service_->add_reward(req.user(), id_param(req), in)));
  }

  core::Response update_reward(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    const auto changes = parse_reward_changes(body);
    return core::ok(project_json(
        service_->update_reward(req.user(), id_param(req), reward_param(req), changes)));
  }

  core::Response retire_reward(core::Request& req) {
    service_->retire_reward(req.user(), id_param(req), reward_param(req));
    return core::ok(nullptr);
  }

  core::Response cancel_project(core::Request& req) {
    return core::ok(project_json(service_->cancel_project(req.user(), id_param(req))));
  }

  // Funding waits for a group commit, not on a worker (Idempotency::run_grouped).
  core::Response fund(core::Request& req) {
    const auto& user = req.user();
    core::require_verified_email(ctx_.config, user);
    auto body = core::JsonBody::parse(req);
    auto pledge = service_->prepare_pledge(user, id_param(req), parse_pledge(body));
    return ctx_.idempotency.run_grouped(
        req, user.id,
        [service = service_, pledge = std::move(pledge)](db::Connection& c,
                                                         const core::IdempotentEffect& effect) {
          core::Response answer;
          effect.record_created<PledgeOutcome>(answer, pledge_outcome_json)(
              c, service->fund_in(c, pledge));
          return answer;
        });
  }

  core::Response project_pledges(core::Request& req) {
    const auto page = core::parse_page(req);
    return core::ok(
        pledges_page_json(service_->project_pledges(req.user(), id_param(req), page), page, false));
  }

  core::Response my_pledges(core::Request& req) {
    const auto page = core::parse_page(req);
    return core::ok(pledges_page_json(service_->my_pledges(req.user(), page), page, true));
  }

  core::Response cancel_pledge(core::Request& req) {
    return core::ok(cancelled_pledge_json(service_->cancel_pledge(req.user(), id_param(req))));
  }

 private:
  core::AppContext& ctx_;
  std::shared_ptr<CrowdfundingService> service_;
};

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<CrowdfundingService> service) {
  using core::Access;
  using core::Method;
  using H = Handlers;
  // The project's creator (or an admin) edits, cancels and sees its pledges; the backer (or an
  // admin) cancels a pledge: the service's rules.
  router.add_table<H>(
      std::make_shared<H>(ctx, std::move(service)),
      {
          {Method::get, "/api/v1/crowdfunding/projects", Access::anyone, &H::list_projects,
           &H::cached_projects},
          {Method::post, "/api/v1/crowdfunding/projects", Access::creator, &H::create_project},
          {Method::get, "/api/v1/crowdfunding/projects/:id", Access::anyone, &H::get_project,
           &H::cached_project},
          {Method::get, "/projects/:id", Access::anyone, &H::project_page},
          {Method::put, "/api/v1/crowdfunding/projects/:id", Access::user, &H::update_project},
          {Method::post, "/api/v1/crowdfunding/projects/:id/rewards", Access::user,
           &H::add_reward},
          {Method::put, "/api/v1/crowdfunding/projects/:id/rewards/:rewardId", Access::user,
           &H::update_reward},
          {Method::del, "/api/v1/crowdfunding/projects/:id/rewards/:rewardId", Access::user,
           &H::retire_reward},
          {Method::post, "/api/v1/crowdfunding/projects/:id/cancel", Access::user,
           &H::cancel_project},
          {Method::post, "/api/v1/crowdfunding/projects/:id/fund", Access::user, &H::fund},
          {Method::get, "/api/v1/crowdfunding/projects/:id/pledges", Access::user,
           &H::project_pledges},
          {Method::get, "/api/v1/crowdfunding/pledges", Access::user, &H::my_pledges},
          {Method::post, "/api/v1/crowdfunding/pledges/:id/cancel", Access::user,
           &H::cancel_pledge},
      });
}

}  // namespace o4o::services::crowdfunding
