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

class Handlers {
 public:
  explicit Handlers(std::shared_ptr<AuthService> service) : service_(std::move(service)) {}

  core::Response register_user(core::Request& req) {
    return core::created(session_json(service_->register_user(parse_register(req))));
  }
  core::Response login(core::Request& req) {
    auto in = parse_login(req);
    return core::ok(session_json(service_->login(in, req.client_ip)));
  }
  core::Response refresh(core::Request& req) {
    return core::ok(tokens_json(service_->refresh(parse_refresh_token(req))));
  }
  core::Response logout(core::Request& req) {
    service_->logout(req.user(), parse_refresh_token(req));
    return core::ok(nullptr);
  }
  core::Response me(core::Request& req) {
    return core::ok(accounts::user_json(service_->me(req.user())));
  }

 private:
  std::shared_ptr<AuthService> service_;
};

class RecoveryHandlers {
 public:
  explicit RecoveryHandlers(std::shared_ptr<RecoveryService> service)
      : service_(std::move(service)) {}

  core::Response request_verification(core::Request& req) {
    service_->request_verification(req.user(), req.client_ip);
    return core::ok(nullptr, 202);
  }
  core::Response verify_email(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    auto token = parse_token(body);
    body.finish();
    return core::ok(accounts::user_json(service_->verify_email(token)));
  }
  core::Response forgot_password(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    auto email = body.string("email", Need::required, 1, kMaxEmailInput);
    body.finish();
    service_->forgot_password(*email, req.client_ip);
    // The same answer whether or not the address has an account.
    return core::ok(nullptr, 202);
  }
  core::Response reset_password(core::Request& req) {
    auto in = parse_reset(req);
    service_->reset_password(in.token, in.password);
    return core::ok(nullptr);
  }

 private:
  std::shared_ptr<RecoveryService> service_;
};

}  // namespace

void add_recovery_routes(core::Router& router, std::shared_ptr<RecoveryService> service) {
  using core::Access;
  using core::Exec;
  using core::Method;
  using H = RecoveryHandlers;
  // Resetting hashes the new password: on the CPU pool like login.
  router.add_table<H>(
      std::make_shared<H>(std::move(service)),
      {
          {Method::post, "/api/v1/auth/verify-email/request", Access::user,
           &H::request_verification},
          {Method::post, "/api/v1/auth/verify-email", Access::anyone, &H::verify_email},
          {Method::post, "/api/v1/auth/password/forgot", Access::anyone, &H::forgot_password},
          {Method::post, "/api/v1/auth/password/reset", Access::anyone, &H::reset_password,
           Exec::cpu},
      });
}

void add_auth_routes(core::Router& router, std::shared_ptr<AuthService> service) {
  using core::Access;
  using core::Exec;
  using core::Method;
  using H = Handlers;
  // Registration and login hash a password: on the CPU pool.
  router.add_table<H>(
      std::make_shared<H>(std::move(service)),
      {
          {Method::post, "/api/v1/auth/register", Access::anyone, &H::register_user, Exec::cpu},
          {Method::post, "/api/v1/auth/login", Access::anyone, &H::login, Exec::cpu},
          {Method::post, "/api/v1/auth/refresh", Access::anyone, &H::refresh},
          {Method::post, "/api/v1/auth/logout", Access::user, &H::logout},
          {Method::get, "/api/v1/auth/me", Access::user, &H::me},
      });
}

}  // namespace o4o::services::auth
