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

constexpr const char* kBase = "/api/v1/crowdfunding";

std::string route(const char* suffix) {
  return std::string(kBase) + suffix;
}

std::string id_param(const core::Request& req) {
  return std::string(req.param("id"));
}

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<CrowdfundingService> service) {
  using core::Method;
  auto& svc = *service;
  // The handlers keep the service alive for as long as the router holds them.
  auto keep = [service](auto handler) {
    return [service, handler](core::Request& req) { return handler(req); };
  };

  router.add({Method::get, route("/projects"), keep([&svc](core::Request& req) {
                const auto page = core::parse_page(req);
                const auto filter = read_project_filter(req);
                return core::ok(projects_page_json(svc.list_projects(filter, page), page));
              })});

  router.add({Method::post, route("/projects"), keep([&svc, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                core::require_role(user, {"creator", "admin"});
                auto body = core::JsonBody::parse(req);
                const auto in = read_new_project(body, ctx.clock.now_ms());
                return core::created(project_json(svc.create_project(user, in)));
              })});

  router.add({Method::get, route("/projects/:id"), keep([&svc](core::Request& req) {
                return core::ok(project_json(svc.get_project(id_param(req))));
              })});

  router.add({Method::put, route("/projects/:id"), keep([&svc, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                auto body = core::JsonBody::parse(req);
                const auto changes = read_project_changes(body, ctx.clock.now_ms());
                return core::ok(project_json(svc.update_project(user, id_param(req), changes)));
              })});

  router.add({Method::post, route("/projects/:id/cancel"), keep([&svc, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                return core::ok(project_json(svc.cancel_project(user, id_param(req))));
              })});

  // Funding waits for a group commit, not on a worker (Idempotency::run_grouped).
  router.add({Method::post, route("/projects/:id/fund"), [&ctx, service](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                core::require_verified_email(ctx.config, user);
                auto body = core::JsonBody::parse(req);
                auto pledge = service->prepare_pledge(user, id_param(req), read_pledge(body));
                return ctx.idempotency.run_grouped(
                    req, user.id,
                    [service, pledge = std::move(pledge)](db::Connection& c,
                                                          const core::IdempotentEffect& effect) {
                      core::Response answer;
                      effect.record_created<PledgeOutcome>(answer, pledge_outcome_json)(
                          c, service->fund_in(c, pledge));
                      return answer;
                    });
              }});

  router.add({Method::get, route("/projects/:id/pledges"), keep([&svc, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                const auto page = core::parse_page(req);
                return core::ok(
                    pledges_page_json(svc.project_pledges(user, id_param(req), page), page, false));
              })});

  router.add({Method::get, route("/pledges"), keep([&svc, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                const auto page = core::parse_page(req);
                return core::ok(pledges_page_json(svc.my_pledges(user, page), page, true));
              })});

  router.add({Method::post, route("/pledges/:id/cancel"), keep([&svc, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                return core::ok(cancelled_pledge_json(svc.cancel_pledge(user, id_param(req))));
              })});
}

}  // namespace o4o::services::crowdfunding
