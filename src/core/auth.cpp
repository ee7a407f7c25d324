// Who is calling, and the role and ownership checks every service makes.
//
// An access token is checked by core::AccessTokens (signature, algorithm, exp/nbf: see
// access_token.hpp), then its user must still exist (not deleted) and its sessions not have been
// ended after it was issued. The role is read from the database, so a demotion or deletion takes
// effect at once: or from the identities kept in memory, which every write changing one empties
// before its writer is answered, on every instance (accounts::identity_tag, core::CacheChannel).
#include "core/auth.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "accounts/assistant_token_repository.hpp"
#include "accounts/user.hpp"
#include "accounts/user_repository.hpp"
#include "core/access_token.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/read_cache.hpp"
#include "core/text.hpp"
#include "core/verified_tokens.hpp"
#include "core/whole_number.hpp"
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

// The first line of what is kept, taken off the front.
std::string_view next_line(std::string_view& text) {
  const auto end = text.find('\n');
  const auto line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

// An identity as kept in memory: "<role>\n<email_verified 0|1>\n<sessions_after>\n<email>" (the
// email last: whatever it holds is the rest).
std::string encode_identity(const AuthUser& u) {
  return fmt::format("{}\n{}\n{}\n{}", u.role, u.email_verified ? 1 : 0, u.sessions_after, u.email);
}

AuthUser decode_identity(const std::string& id, std::string_view text) {
  AuthUser u;
  u.id = id;
  u.role = std::string(next_line(text));
  u.email_verified = next_line(text) == "1";
  u.sessions_after = whole_number<int64_t>(next_line(text)).value_or(0);
  u.email = std::string(text);
  return u;
}

// An assistant token as kept in memory: "<user id>\n<scope>\n<created_at>\n<expires_at or
// nothing>" (what the check uses).
std::string encode_assistant_token(const accounts::assistant_token_repo::AssistantToken& t) {
  return fmt::format("{}\n{}\n{}\n{}", t.user_id, t.scope, t.created_at,
                     t.expires_at ? std::to_string(*t.expires_at) : std::string());
}

accounts::assistant_token_repo::AssistantToken decode_assistant_token(std::string_view text) {
  accounts::assistant_token_repo::AssistantToken t;
  t.user_id = std::string(next_line(text));
  t.scope = std::string(next_line(text));
  t.created_at = whole_number<int64_t>(next_line(text)).value_or(0);
  t.expires_at = whole_number<int64_t>(next_line(text));
  return t;
}

}  // namespace

struct Authenticator::Impl {
  const Config& config;
  db::Database& db;
  const Clock& clock;
  AccessTokens tokens;
  ReadCache* identities;
  mutable VerifiedTokens verified_tokens;

  Impl(const Config& c, db::Database& d, const Clock& k, ReadCache* i)
      : config(c), db(d), clock(k), tokens(tokens_of(c)), identities(i) {}

  // What read() finds (an optional), kept in memory under key until a write notes one of tags
  // (ReadCache::get keeps nothing read before such a write) or what encode gives expires; nullopt,
  // with nothing kept, when it finds nothing: such a token costs the read it always did. Without
  // the cache, read() at each use.
  template <class Read, class Encode, class Decode>
  auto kept(const std::string& key, const ReadCache::Tags& tags, Read read, Encode encode,
            Decode decode) const -> decltype(read()) {
    if (identities == nullptr) return read();
    struct NotFound {};
    try {
      auto text = identities->get(key, tags, clock.now_ms(), [&] {
        auto found = read();
        if (!found) throw NotFound{};
        return encode(*found);
      });
      return decode(*text);
    } catch (const NotFound&) {
      return std::nullopt;
    }
  }

  // The assistant token with this hash; nullopt when there is none (any more). On the primary at
  // each use, or kept in memory until a token is removed anywhere (kTokensRemoved) or it expires.
  std::optional<accounts::assistant_token_repo::AssistantToken> assistant_token(
      const std::string& hash) const {
    return kept(
        "assistant:" + hash, {accounts::assistant_token_repo::kTokensRemoved},
        [&] {
          return db.read_primary([&](db::Connection& c) {
            return accounts::assistant_token_repo::find_by_hash(c, hash);
          });
        },
        [](const auto& t) {
          return ReadCache::Fresh{encode_assistant_token(t), t.expires_at.value_or(0)};
        },
        [](std::string_view text) { return decode_assistant_token(text); });
  }

  // The live user's identity; nullopt when there is no such user (any more). On the primary,
  // never a read replica: a role changed or sessions ended by another user (an admin, a password
  // reset elsewhere) must count from the next request on, on every instance. Kept in memory only
  // until a write notes identity_tag.
  std::optional<AuthUser> identity(const std::string& user_id) const {
    return kept(
        "user:" + user_id, {accounts::identity_tag(user_id)},
        [&] {
          return db.read_primary(
              [&](db::Connection& c) { return accounts::user_repo::find_identity(c, user_id); });
        },
        [](const AuthUser& u) { return ReadCache::Fresh{encode_identity(u)}; },
        [&](std::string_view text) { return decode_identity(user_id, text); });
  }

  // The token's claims after every cryptographic and time check; throws 401. A token verified
  // before is found by its exact text, and only its time is checked again.
  AccessTokens::Claims verified(std::string_view token) const {
    const auto now = clock.now_seconds();
    if (auto claims = verified_tokens.find(token, now)) return *claims;
    auto claims = tokens.verify(token, now);
    verified_tokens.keep(token, claims);
    return claims;
  }
};

Authenticator::Authenticator(const Config& config, db::Database& db, const Clock& clock,
                             ReadCache* identities)
    : impl_(std::make_unique<Impl>(config, db, clock, identities)) {}

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
    // The token, from the primary or from memory that every removal of a token empties first (as
    // the user below): a token revoked by someone else counts at once.
    const auto t = impl_->assistant_token(hash);
    if (!t || (t->expires_at && *t->expires_at <= impl_->clock.now_ms()))
      throw invalid_access_token();
    auto user = impl_->identity(t->user_id);
    // A password reset ends every session, assistant tokens made before it included.
    if (!user || t->created_at < user->sessions_after) throw invalid_access_token();
    user->token_scope = t->scope;
    return *user;
  }
  const auto claims = impl_->verified(token);
  auto user = impl_->identity(claims.user_id);
  if (!user) throw invalid_access_token();
  // A password reset ended every session: tokens issued before its second no longer count.
  if (claims.issued_at < user->sessions_after / 1000) throw invalid_access_token();
  return *user;
}

std::string Authenticator::render_metrics() const {
  const auto s = impl_->verified_tokens.stats();
  return fmt::format(
      "# HELP o4o_access_token_memo_hits_total Access tokens found among those verified before "
      "(their signature not checked again, their expiry checked).\n"
      "# TYPE o4o_access_token_memo_hits_total counter\n"
      "o4o_access_token_memo_hits_total {}\n"
      "# HELP o4o_access_token_memo_misses_total Access tokens verified in full.\n"
      "# TYPE o4o_access_token_memo_misses_total counter\n"
      "o4o_access_token_memo_misses_total {}\n"
      "# HELP o4o_access_token_memo_entries Verified access tokens kept now.\n"
      "# TYPE o4o_access_token_memo_entries gauge\n"
      "o4o_access_token_memo_entries {}\n",
      s.hits, s.misses, s.entries);
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
