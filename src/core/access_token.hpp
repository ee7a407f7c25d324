#pragma once
// Access tokens (JWT through libjwt), signed and verified, free of the database and the clock:
// what core::Authenticator builds on, and what the fuzz target fuzz_jwt feeds directly.
//
// A token is accepted only when it has exactly three parts, its header names exactly the
// configured algorithm (no "none", no HS256 signed with an RS256 public key), its signature
// verifies, it has not expired at `now`, it is not used before its nbf, and it names a user id
// that is a UUID.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/caller.hpp"
#include "core/errors.hpp"

namespace o4o::core {

// The 401 of every refused access token (no reason given, so a probe learns nothing).
ApiError invalid_access_token();

class AccessTokens {
 public:
  // algorithm "HS256" (both keys: the secret) or "RS256" (PEM keys); the signing key may be empty
  // for a process that only verifies. Throws std::invalid_argument for another algorithm or an
  // empty verifying key.
  AccessTokens(std::string_view algorithm, std::string sign_key, std::string verify_key);

  struct Claims {
    std::string user_id;    // a UUID
    int64_t issued_at = 0;   // iat, 0 when absent
    int64_t expires_at = 0;  // exp (always there)
    int64_t not_before = 0;  // nbf, 0 when absent
  };
  // Throws ApiError 401 UNAUTHORIZED for anything but a valid token at `now_seconds`.
  Claims verify(std::string_view token, int64_t now_seconds) const;

  // A signed token with userId, email, role, iat = now and exp = now + ttl. Throws
  // std::logic_error without a signing key.
  std::string issue(const AuthUser& user, int64_t now_seconds, int64_t ttl_seconds) const;

  // Tokens longer than this are refused unread.
  static constexpr std::size_t kMaxLength = 8192;

 private:
  int alg_;  // jwt_alg_t, kept out of this header
  std::string alg_name_;
  std::string sign_key_;
  std::string verify_key_;
};

}  // namespace o4o::core
