#pragma once
// The users API's rules: admin listing, self-or-admin reads, updates and deletion (anonymising).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/login_throttle.hpp"
#include "accounts/user.hpp"
#include "core/app_context.hpp"
#include "core/auth.hpp"
#include "core/pagination.hpp"

namespace o4o::services::users {

using accounts::UserRecord;

struct UserUpdate {
  std::optional<std::string> name;              // trimmed, 1..100 characters
  std::optional<std::string> password;          // checked against the policy
  std::optional<std::string> current_password;  // as sent
  std::optional<std::string> role;              // admin | creator | user
  std::optional<std::string> email;             // normalised
  std::optional<std::string> locale;            // ko | en
  std::optional<bool> notify_new_pledges;
  std::optional<bool> notify_paid_orders;
  std::string client_ip;  // the caller's address: a current-password check counts as a login
};

class UsersService {
 public:
  explicit UsersService(core::AppContext& ctx)
      : ctx_(ctx), throttle_(ctx.db, ctx.clock, ctx.config) {}

  // Every live user (the route is admin-only). `query` matches email or name,
  // case-insensitively, anywhere in the text.
  core::PageOf<UserRecord> list(const core::Page& page, const std::optional<std::string>& query);
  // Self or admin; anyone else gets 404 as if the user did not exist.
  UserRecord get(const core::AuthUser& actor, const std::string& id);
  // Role changes are admin-only (403); a password or email change by the user themself needs the
  // right current password (400), checked as a login attempt at the account from in.client_ip
  // (429 RATE_LIMITED while the account's login is throttled; a wrong one counts toward it);
  // every password change ends the user's refresh tokens and mails a notice; a new email is
  // unverified, gets a verification link, and the old one a notice.
  UserRecord update(const core::AuthUser& actor, const std::string& id, const UserUpdate& in);
  // Anonymises the account: no email (free again), no password, deleted_at set, sessions ended.
  void remove(const core::AuthUser& actor, const std::string& id);

 private:
  core::AppContext& ctx_;
  accounts::LoginThrottle throttle_;
};

}  // namespace o4o::services::users
