// HTTP <-> DTO for /api/v1/users: validation here, rules in UsersService.
#include "services/users/routes.hpp"

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
  body.finish();
  return in;
}

}  // namespace

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
