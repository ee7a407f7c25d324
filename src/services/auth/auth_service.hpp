#pragma once
// Registration, login, refresh-token rotation and logout: the business rules, no HTTP types.
#include <cstdint>
#include <string>

#include "accounts/user.hpp"
#include "core/app_context.hpp"
#include "core/auth.hpp"
#include "accounts/login_throttle.hpp"

namespace o4o::services::auth {

using accounts::UserRecord;

struct RegisterInput {
  std::string email;     // normalised
  std::string password;  // checked against the policy
  std::string name;      // trimmed, 1..100 characters
  std::string role;      // user | creator
  std::string locale;    // ko | en: the language of the user's mail
};

struct LoginInput {
  std::string email;  // as sent
  std::string password;
};

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  int64_t expires_in = 0;  // seconds
};

struct Session {
  UserRecord user;
  TokenPair tokens;
};

class AuthService {
 public:
  explicit AuthService(core::AppContext& ctx)
      : ctx_(ctx), throttle_(ctx.db, ctx.clock, ctx.config) {}

  // 409 EMAIL_TAKEN when the email is in use. Sends the one welcome + verification mail; with
  // O4O_CREATOR_APPROVAL=1 a `creator` becomes a `user` with a pending creator request.
  Session register_user(const RegisterInput& in);
  // 401 INVALID_CREDENTIALS (the same for an unknown email and a wrong password), 429 when
  // throttled.
  Session login(const LoginInput& in, const std::string& client_ip);
  // Spends the refresh token and returns a new pair in the same family. A token presented again
  // after it was spent or revoked revokes its whole family; every failure is 401.
  TokenPair refresh(const std::string& refresh_token);
  // Ends the session (token family) the refresh token belongs to, if it is the user's.
  void logout(const core::AuthUser& user, const std::string& refresh_token);
  UserRecord me(const core::AuthUser& user);

 private:
  Session start_session(const UserRecord& user);
  TokenPair access_pair(const UserRecord& user, std::string refresh_token) const;

  core::AppContext& ctx_;
  accounts::LoginThrottle throttle_;
};

// Issues a new refresh token in a family (a new family when family_id is empty): stores its hash
// and returns the token itself.
std::string issue_refresh_token(db::Connection& c, const core::AppContext& ctx,
                                const std::string& user_id, std::string family_id);

}  // namespace o4o::services::auth
