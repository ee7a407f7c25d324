// Who is calling, and the role and ownership checks every service makes.
//
// An access token is checked by core::AccessTokens (signature, algorithm, exp/nbf: see
// access_token.hpp), then its user must still exist (not deleted) and its sessions not have been
// ended after it was issued. The role is read from the database, so a demotion or deletion takes
// effect at once.
#include "core/auth.hpp"

#include <fstream>
#include <sstream>
#include <utility>
#include <stdexcept>

#include "accounts/assistant_token_repository.hpp"
#include "accounts/user_repository.hpp"
#include "core/access_token.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "db/database.hpp"

namespace o4o::core {
namespace {

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(std::string("cannot read the JWT ") + what + " " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The configured algorithm's tokens, with the keys read from the configuration.
AccessTokens tokens_of(const Config& config) {
  if (config.jwt_algorithm == "HS256") {
    if (config.jwt_secret.empty()) throw std::invalid_argument("the JWT secret is empty");
    return AccessTokens("HS256", config.jwt_secret, config.jwt_secret);
  }
  if (config.jwt_algorithm == "RS256") {
    if (config.jwt_public_key_file.empty()) {
      throw std::invalid_argument("RS256 needs a public key file to verify tokens");
    }
    std::string sign_key;
    if (!config.jwt_private_key_file.empty()) {
      sign_key = read_file(config.jwt_private_key_file, "private key");
    }
    return AccessTokens("RS256", std::move(sign_key),
                        read_file(config.jwt_public_key_file, "public key"));
  }
  throw std::invalid_argument("unsupported JWT algorithm " + config.jwt_algorithm);
}

}  // namespace

struct Authenticator::Impl {
  const Config& config;
  db::Database& db;
  const Clock& clock;
  AccessTokens tokens;

  Impl(const Config& c, db::Database& d, const Clock& k)
      : config(c), db(d), clock(k), tokens(tokens_of(c)) {}

  // The token's claims after every cryptographic and time check; throws 401.
  AccessTokens::Claims verified(std::string_view token) const {
    return tokens.verify(token, clock.now_seconds());
  }
};

Authenticator::Authenticator(const Config& config, db::Database& db, const Clock& clock)
    : impl_(std::make_unique<Impl>(config, db, clock)) {}

Authenticator::~Authenticator() = default;

int64_t Authenticator::access_token_ttl_seconds() const {
  return impl_->config.access_token_ttl_seconds;
}

std::string Authenticator::issue_access_token(const AuthUser& user) const {
  return impl_->tokens.issue(user, impl_->clock.now_seconds(),
                             impl_->config.access_token_ttl_seconds);
}

AuthUser Authenticator::verify_token(std::string_view token) const {
  if (token.starts_with(kAssistantTokenPrefix)) {
    // An assistant token: known by its hash, unexpired, its user not deleted.
    if (token.size() > 200) throw invalid_access_token();
    const std::string hash = sha256_hex(token);
    // On the primary (as below): a token revoked or a role changed by someone else counts at once.
    auto user = impl_->db.read_primary([&](db::Connection& c) -> std::optional<AuthUser> {
      auto t = accounts::assistant_token_repo::find_by_hash(c, hash);
      if (!t) return std::nullopt;
      if (t->expires_at && *t->expires_at <= impl_->clock.now_ms()) return std::nullopt;
      auto u = accounts::user_repo::find_identity(c, t->user_id);
      // A password reset ends every session, assistant tokens made before it included.
      if (!u || t->created_at < u->sessions_after) return std::nullopt;
      u->token_scope = t->scope;
      return u;
    });
    if (!user) throw invalid_access_token();
    return *user;
  }
  const auto claims = impl_->verified(token);
  // On the primary, never a read replica: a role changed or sessions ended by another user (an
  // admin, a password reset elsewhere) must count from the next request on, on every instance.
  auto user = impl_->db.read_primary(
      [&](db::Connection& c) { return accounts::user_repo::find_identity(c, claims.user_id); });
  if (!user) throw invalid_access_token();
  // A password reset ended every session: tokens issued before its second no longer count.
  if (claims.issued_at < user->sessions_after / 1000) throw invalid_access_token();
  return *user;
}

std::optional<std::string> Authenticator::token_subject(std::string_view token) const noexcept {
  if (token.starts_with(kAssistantTokenPrefix)) return std::nullopt;
  try {
    return impl_->verified(token).user_id;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<AuthUser> Authenticator::optional_user(const Request& req) const {
  const auto token = bearer_token(req);
  if (!token) return std::nullopt;
  auto user = verify_token(*token);  // an empty token is 401 there
  if (user.token_scope == "read" && req.method != Method::get && req.method != Method::head)
    throw err::forbidden("This assistant token is read-only");
  return user;
}

std::optional<std::string_view> bearer_token(const Request& req) {
  auto header = req.header("Authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size() || !starts_with_lower(*header, kScheme))
    return std::string_view();
  return trim(header->substr(kScheme.size()), " ");
}

void require_verified_email(const Config& config, const AuthUser& user) {
  if (!config.require_verified_email || user.email_verified) return;
  throw ApiError(403, "EMAIL_NOT_VERIFIED", "Please confirm your email address first");
}

void require_role(const AuthUser& user, std::initializer_list<std::string_view> roles) {
  for (auto role : roles) {
    if (user.role == role) return;
  }
  throw err::forbidden();
}

void require_owner_or_admin(const AuthUser& user, std::string_view owner_id) {
  if (user.is_admin() || user.id == owner_id) return;
  throw err::forbidden();
}

void require_owner_or_admin_hidden(const AuthUser& user, std::string_view owner_id) {
  if (user.is_admin() || user.id == owner_id) return;
  throw err::not_found();
}

}  // namespace o4o::core
