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
  in.locale = body.one_of("locale", Need::optional, {"ko", "en"}).value_or("ko");
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

std::string parse_token(core::JsonBody& body) {
  return body.string("token", Need::required, 1, kMaxTokenInput).value_or("");
}

struct ResetInput {
  std::string token;
  std::string password;
};

// A password the policy refuses is 400 before the token is looked at, so the link stays usable.
ResetInput parse_reset(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  ResetInput in;
  in.token = parse_token(body);
  if (auto password = body.string("password", Need::required, 0, kMaxPasswordInput, false)) {
    if (auto problem = core::password_problem(*password)) body.fail("password", *problem);
    in.password = std::move(*password);
  }
  body.finish();
  return in;
}

}  // namespace

void add_recovery_routes(core::Router& router, core::AppContext& ctx,
                         std::shared_ptr<RecoveryService> service) {
  using core::Exec;
  using core::Method;
  const std::string base = "/api/v1/auth";

  router.add({Method::post, base + "/verify-email/request",
              [service, &ctx](core::Request& req) {
                auto user = ctx.auth.require_user(req);
                service->request_verification(user, req.client_ip);
                return core::ok(nullptr, 202);
              },
              Exec::db});
  router.add({Method::post, base + "/verify-email",
              [service](core::Request& req) {
                auto body = core::JsonBody::parse(req);
                auto token = parse_token(body);
                body.finish();
                return core::ok(accounts::user_json(service->verify_email(token)));
              },
              Exec::db});
  router.add({Method::post, base + "/password/forgot",
              [service](core::Request& req) {
                auto body = core::JsonBody::parse(req);
                auto email = body.string("email", Need::required, 1, kMaxEmailInput);
                body.finish();
                service->forgot_password(*email, req.client_ip);
                // The same answer whether or not the address has an account.
                return core::ok(nullptr, 202);
              },
              Exec::db});
  // Hashes the new password: on the CPU pool like login.
  router.add({Method::post, base + "/password/reset",
              [service](core::Request& req) {
                auto in = parse_reset(req);
                service->reset_password(in.token, in.password);
                return core::ok(nullptr);
              },
              Exec::cpu});
}

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
