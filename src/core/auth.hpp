#pragma once
// Access tokens and the checks every service makes: who is calling, with which role, and whether
// they own the thing they touch. The auth service issues tokens through the same object.
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/caller.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/http.hpp"

namespace o4o::db {
class Database;
}

namespace o4o::core {

// Long-lived tokens for AI assistants start with this; any other bearer token is a JWT. A "read"
// one authenticates only GET and HEAD requests (403 FORBIDDEN otherwise).
inline constexpr std::string_view kAssistantTokenPrefix = "o4o_at_";

class ReadCache;

class Authenticator {
 public:
  // identities: where the users' identities (accounts::user_repo::find_identity) are kept between
  // requests, invalidated by every write that changes one (accounts::identity_tag, through
  // core::CacheChannel on every instance); null: each request reads the database.
  Authenticator(const Config& config, db::Database& db, const Clock& clock,
                ReadCache* identities = nullptr);
  ~Authenticator();

  // A signed JWT with userId, email, role, iat, exp.
  std::string issue_access_token(const AuthUser& user) const;
  int64_t access_token_ttl_seconds() const;

  // nullopt when the request has no Authorization header; throws 401 UNAUTHORIZED when the token
  // is malformed, tampered, unsigned, expired, or its user is deleted. The role is read from the
  // database (or memory that every change of it empties first), so a demotion or deletion takes
  // effect at once.
  std::optional<AuthUser> optional_user(const Request& req) const;
  // The user a raw token (no "Bearer ") belongs to; throws 401 like optional_user. Routes do not
  // call these: their access rule (core/access.hpp) has the dispatcher do it.
  AuthUser verify_token(std::string_view token) const;
  // The user id of a valid access token (signature and expiry checked, the database not asked);
  // nullopt for anything else, assistant tokens included. Only for routing reads (a public
  // route's caller reads their own writes, db/replicas.hpp), never for access.
  std::optional<std::string> token_subject(std::string_view token) const noexcept;

  // Prometheus text: o4o_access_token_memo_* (tokens verified before, core/verified_tokens.hpp).
  std::string render_metrics() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The token of an "Authorization: Bearer <token>" header (the scheme in any case, spaces around
// the token dropped): nullopt when the request has no Authorization header, an empty view when the
// header is not a usable bearer token (another scheme, or no token).
std::optional<std::string_view> bearer_token(const Request& req);

// 403 EMAIL_NOT_VERIFIED when O4O_REQUIRE_VERIFIED_EMAIL=1 and the user has not proven their
// email: ordering, pledging and posting call it.
void require_verified_email(const Config& config, const AuthUser& user);
// 403 FORBIDDEN unless the user has one of the roles.
void require_role(const AuthUser& user, std::initializer_list<std::string_view> roles);
// 403 FORBIDDEN unless the user is the owner or an admin.
void require_owner_or_admin(const AuthUser& user, std::string_view owner_id);
// For private resources: 404 NOT_FOUND (not 403) unless owner or admin, so that their existence
// does not leak.
void require_owner_or_admin_hidden(const AuthUser& user, std::string_view owner_id);

}  // namespace o4o::core
