// HTTP <-> DTO for /api/v1/auth: validation here, rules in AuthService.
#include "services/auth/routes.hpp"

#include "accounts/accounts.hpp"
#include "core/envelope.hpp"
#include "core/json_body.hpp"
#include "core/password.hpp"

namespace o4o::services::auth {
namespace {

using core::Need;

constexpr std::size_t kMaxEmailInput = 320;
constexpr std::size_t kMaxPasswordInput = 4096;  // longer than any acceptable password
constexpr std::size_t kMaxTokenInput = 512;

boost::json::object tokens_json(const TokenPair& t) {
  return {{"accessToken", t.access_token},
          {"refreshToken", t.refresh_token},
          {"expiresIn", t.expires_in}};
}

boost::json::object session_json(const Session& s) {
  auto out = tokens_json(s.tokens);
  out.emplace("user", accounts::user_json(s.user));
  return out;
}

RegisterInput parse_register(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  RegisterInput in;
  if (auto email = body.string("email", Need::required, 1, kMaxEmailInput)) {
    if (auto normalized = accounts::normalize_email(*email)) {
      in.email = *normalized;
    } else {
      body.fail("email", "email must be a valid email address");
    }
  }
  if (auto password = body.string("password", Need::required, 0, kMaxPasswordInput, false)) {
    if (auto problem = core::password_problem(*password)) body.fail("password", *problem);
    in.password = std::move(*password);
  }
  if (auto name = body.string("name", Need::required, 1, 100)) in.name = std::move(*name);
  const auto* role = body.get("role");
  if (role != nullptr && role->is_string() && role->as_string() == "admin") {
    body.fail("role", "role admin cannot be chosen at registration; only an admin can grant it");
  } else {
    in.role = body.one_of("role", Need::optional, {"user", "creator"}).value_or("user");
  }
  body.finish();
  return in;
}

LoginInput parse_login(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  LoginInput in;
  if (auto email = body.string("email", Need::required, 1, kMaxEmailInput)) in.email = *email;
  if (auto password = body.string("password", Need::required, 0, kMaxPasswordInput, false)) {
    in.password = std::move(*password);
  }
  body.finish();
  return in;
}

std::string parse_refresh_token(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  auto token = body.string("refreshToken", Need::required, 1, kMaxTokenInput);
  body.finish();
  return *token;
}

}  // namespace

void add_auth_routes(core::Router& router, core::AppContext& ctx,
                     std::shared_ptr<AuthService> service) {
  using core::Exec;
  using core::Method;
  const std::string base = "/api/v1/auth";

  router.add({Method::post, base + "/register",
              [service](core::Request& req) {
                return core::created(session_json(service->register_user(parse_register(req))));
              },
              Exec::cpu});
  router.add({Method::post, base + "/login",
              [service](core::Request& req) {
                auto in = parse_login(req);
                return core::ok(session_json(service->login(in, req.client_ip)));
              },
              Exec::cpu});
  router.add({Method::post, base + "/refresh",
              [service](core::Request& req) {
                return core::ok(tokens_json(service->refresh(parse_refresh_token(req))));
              },
              Exec::db});
  router.add({Method::post, base + "/logout",
              [service, &ctx](core::Request& req) {
                auto user = ctx.auth.require_user(req);
                service->logout(user, parse_refresh_token(req));
                return core::ok(nullptr);
              },
              Exec::db});
  router.add({Method::get, base + "/me",
              [service, &ctx](core::Request& req) {
                return core::ok(accounts::user_json(service->me(ctx.auth.require_user(req))));
              },
              Exec::db});
}

}  // namespace o4o::services::auth
