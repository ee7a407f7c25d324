// HTTP <-> DTO for /api/v1/users: validation here, rules in UsersService.
#include "services/users/routes.hpp"

#include "accounts/accounts.hpp"
#include "core/envelope.hpp"
#include "core/json_body.hpp"
#include "core/password.hpp"

namespace o4o::services::users {
namespace {

using core::Need;

constexpr std::size_t kMaxPasswordInput = 4096;

UserUpdate parse_update(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  UserUpdate in;
  in.name = body.string("name", Need::optional, 1, 100);
  if (auto password = body.string("password", Need::optional, 0, kMaxPasswordInput, false)) {
    if (auto problem = core::password_problem(*password)) body.fail("password", *problem);
    in.password = std::move(password);
  }
  in.current_password = body.string("currentPassword", Need::optional, 0, kMaxPasswordInput, false);
  in.role = body.one_of("role", Need::optional, {"admin", "creator", "user"});
  if (auto email = body.string("email", Need::optional, 1, 320)) {
    if (auto normalized = accounts::normalize_email(*email)) {
      in.email = std::move(normalized);
    } else {
      body.fail("email", "email must be a valid email address");
    }
  }
  in.locale = body.one_of("locale", Need::optional, {"ko", "en"});
  in.notify_new_pledges = body.boolean("notifyNewPledges", Need::optional);
  in.notify_paid_orders = body.boolean("notifyPaidOrders", Need::optional);
  body.finish();
  return in;
}

}  // namespace

void add_account_admin_routes(core::Router& router, core::AppContext& ctx,
                              std::shared_ptr<AccountAdmin> admin) {
  using core::Exec;
  using core::Method;
  const std::string base = "/api/v1/users";

  router.add({Method::post, base + "/me/creator-request",
              [admin, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                auto body = core::JsonBody::parse(req);
                auto reason = body.string("reason", Need::required, 1, 1000);
                body.finish();
                return core::created(creator_request_json(admin->request_creator(actor, *reason)));
              },
              Exec::db});
  router.add({Method::get, base + "/me/creator-request",
              [admin, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                auto request = admin->my_request(actor);
                if (!request) return core::ok(nullptr);
                return core::ok(creator_request_json(*request));
              },
              Exec::db});
  router.add({Method::get, base + "/creator-requests",
              [admin, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                core::require_role(actor, {"admin"});
                const auto page = core::parse_page(req);
                auto status = core::query_enum(req, "status", {"pending", "approved", "rejected"});
                return core::ok(core::page_json(admin->list_requests(page, status), page,
                                                creator_request_json));
              },
              Exec::db});
  router.add({Method::post, base + "/:id/creator-request/approve",
              [admin, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                core::require_role(actor, {"admin"});
                return core::ok(accounts::user_json(
                    admin->decide(std::string(req.param("id")), true, std::nullopt)));
              },
              Exec::db});
  router.add({Method::post, base + "/:id/creator-request/reject",
              [admin, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                core::require_role(actor, {"admin"});
                auto body = core::JsonBody::parse(req);
                auto reason = body.string("reason", Need::optional, 0, 1000);
                body.finish();
                return core::ok(accounts::user_json(
                    admin->decide(std::string(req.param("id")), false, reason)));
              },
              Exec::db});
  router.add({Method::get, "/api/v1/admin/outbox",
              [admin, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                core::require_role(actor, {"admin"});
                const auto page = core::parse_page(req);
                auto status = core::query_enum(req, "status", {"queued", "sent", "failed"});
                return core::ok(
                    core::page_json(admin->outbox(page, status), page, outbox_mail_json));
              },
              Exec::db});
}

void add_users_routes(core::Router& router, core::AppContext& ctx,
                      std::shared_ptr<UsersService> service) {
  using core::Exec;
  using core::Method;
  const std::string base = "/api/v1/users";

  router.add({Method::get, base,
              [service, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                core::require_role(actor, {"admin"});
                const auto page = core::parse_page(req);
                auto result = service->list(actor, page, core::query_text(req, "q"));
                return core::ok(core::page_json(result, page, accounts::user_json));
              },
              Exec::db});
  router.add({Method::get, base + "/:id",
              [service, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                return core::ok(
                    accounts::user_json(service->get(actor, std::string(req.param("id")))));
              },
              Exec::db});
  // May hash a password: on the CPU pool like login.
  router.add({Method::put, base + "/:id",
              [service, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                auto in = parse_update(req);
                return core::ok(
                    accounts::user_json(service->update(actor, std::string(req.param("id")), in)));
              },
              Exec::cpu});
  router.add({Method::del, base + "/:id",
              [service, &ctx](core::Request& req) {
                auto actor = ctx.auth.require_user(req);
                service->remove(actor, std::string(req.param("id")));
                return core::ok(nullptr);
              },
              Exec::db});
}

}  // namespace o4o::services::users
