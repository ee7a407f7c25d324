#include "services/auth/auth_service.hpp"

#include "accounts/accounts.hpp"
#include "accounts/creator_request_repository.hpp"
#include "accounts/email_verification.hpp"
#include "accounts/token_repository.hpp"
#include "accounts/user_repository.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/password.hpp"

namespace o4o::services::auth {
namespace {

namespace token_repo = accounts::token_repo;
namespace user_repo = accounts::user_repo;

constexpr std::size_t kRefreshTokenBytes = 32;  // 256 bits

core::ApiError invalid_credentials() {
  return core::ApiError(401, "INVALID_CREDENTIALS", "Invalid email or password");
}

core::ApiError invalid_refresh_token() {
  return core::err::unauthorized("Invalid or expired refresh token");
}

}  // namespace

std::string issue_refresh_token(db::Connection& c, const core::AppContext& ctx,
                                const std::string& user_id, std::string family_id) {
  const int64_t now = ctx.clock.now_ms();
  std::string token = core::random_hex(kRefreshTokenBytes);
  if (family_id.empty()) family_id = core::new_uuid();
  token_repo::insert(c, {core::new_uuid(), user_id, std::move(family_id), core::sha256_hex(token),
                         now, now + ctx.config.refresh_token_ttl_seconds * 1000});
  return token;
}

TokenPair AuthService::access_pair(const UserRecord& user, std::string refresh_token) const {
  return TokenPair{ctx_.auth.issue_access_token({user.id, user.email, user.role}),
                   std::move(refresh_token), ctx_.auth.access_token_ttl_seconds()};
}

Session AuthService::start_session(const UserRecord& user) {
  std::string refresh =
      ctx_.db.write([&](db::Connection& c) { return issue_refresh_token(c, ctx_, user.id, ""); });
  return Session{user, access_pair(user, std::move(refresh))};
}

Session AuthService::register_user(const RegisterInput& in) {
  const std::string hash = core::hash_password(in.password);
  const bool needs_approval = ctx_.config.creator_approval && in.role == "creator";
  UserRecord user{core::new_uuid(), in.email, in.name, needs_approval ? "user" : in.role, 0, 0};
  user.locale = in.locale;
  try {
    std::string refresh = ctx_.db.write([&](db::Connection& c) {
      user.created_at = user.updated_at = ctx_.clock.now_ms();
      user_repo::insert(c, user, hash);
      if (needs_approval) {
        accounts::creator_request_repo::insert(c, core::new_uuid(), user.id, "", user.created_at);
      }
      accounts::queue_verification_mail(c, ctx_.config, user, user.created_at);
      return issue_refresh_token(c, ctx_, user.id, "");
    });
    return Session{user, access_pair(user, std::move(refresh))};
  } catch (const db::ConstraintError& e) {
    if (e.kind != db::ConstraintError::Kind::unique) throw;
    throw core::err::conflict("EMAIL_TAKEN", "An account with this email already exists");
  }
}

Session AuthService::login(const LoginInput& in, const std::string& client_ip) {
  const auto email = accounts::normalize_email(in.email);
  std::optional<user_repo::Credentials> creds;
  if (email) {
    creds = ctx_.db.read(
        [&](db::Connection& c) { return user_repo::find_credentials_by_email(c, *email); });
  }
  // An unknown email is checked against a dummy hash so that it takes as long as a wrong password
  // (and counts toward the throttle the same way).
  const bool match = throttle_.check(in.email, client_ip, in.password,
                                     creds ? creds->password_hash : core::dummy_password_hash());
  if (!match || !creds) throw invalid_credentials();
  return start_session(creds->user);
}

TokenPair AuthService::refresh(const std::string& refresh_token) {
  enum class Outcome { rotated, reused, invalid };
  struct Result {
    Outcome outcome = Outcome::invalid;
    UserRecord user;
    std::string token;
  };
  const std::string hash = core::sha256_hex(refresh_token);
  Result result = ctx_.db.write([&](db::Connection& c) {
    const int64_t now = ctx_.clock.now_ms();
    const bool spent = token_repo::spend(c, hash, now);
    auto stored = token_repo::find(c, hash);
    if (!stored) return Result{};
    if (!spent) {
      if (!stored->spent_or_revoked) return Result{};  // expired
      // Reuse of a spent or revoked token: whoever holds the family's newest token loses it too.
      token_repo::revoke_family(c, stored->family_id, now);
      return Result{Outcome::reused, {}, {}};
    }
    auto user = user_repo::find(c, stored->user_id);
    if (!user) return Result{};
    std::string next = issue_refresh_token(c, ctx_, user->id, stored->family_id);
    return Result{Outcome::rotated, std::move(*user), std::move(next)};
  });
  if (result.outcome != Outcome::rotated) throw invalid_refresh_token();
  return access_pair(result.user, std::move(result.token));
}

void AuthService::logout(const core::AuthUser& user, const std::string& refresh_token) {
  const std::string hash = core::sha256_hex(refresh_token);
  ctx_.db.write([&](db::Connection& c) {
    token_repo::revoke_family_of(c, hash, user.id, ctx_.clock.now_ms());
  });
}

UserRecord AuthService::me(const core::AuthUser& user) {
  auto record = ctx_.db.read([&](db::Connection& c) { return user_repo::find(c, user.id); });
  if (!record) throw core::err::unauthorized();
  return *record;
}

}  // namespace o4o::services::auth
