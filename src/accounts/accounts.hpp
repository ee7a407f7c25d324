#pragma once
// Accounts: the one owner of the `users`, `refresh_tokens` and `login_attempts` tables. The auth
// and users services, the authenticator (core/auth.cpp) and the command line all read and write
// them through this module: the email rule and the accounts outside the HTTP API here, the SQL in
// user_repository, token_repository and login_attempt_repository, and the login throttle that
// every password check goes through in login_throttle.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "db/database.hpp"

namespace o4o::accounts {

// Trimmed and lowercased; nullopt when it is not a plausible address (local@domain.tld, at most
// 254 characters).
std::optional<std::string> normalize_email(std::string_view email);

// `o4o users create`: creates the account, or updates an existing one (same email after
// normalisation) to the given password, name and role and ends its sessions. Returns the user's
// id. Validates like the API does and throws ApiError (VALIDATION_ERROR) on a bad value.
std::string upsert_user(db::Database& db, const core::Clock& clock, const std::string& email,
                        const std::string& password, const std::string& name,
                        const std::string& role);

// The demo accounts `o4o seed` creates before asking each service for its demo data.
struct DemoAccounts {
  std::string admin_id;
  std::string creator_id;
  std::string user_id;
};

struct DemoLogin {
  std::string_view email;
  std::string_view password;
  std::string_view name;
  std::string_view role;
};
// The logins `o4o seed` prints: admin, creator, user.
std::span<const DemoLogin> demo_logins();
// Creates (or resets) the demo accounts.
DemoAccounts seed_demo_accounts(db::Database& db, const core::Clock& clock);

// The demo data's texts in the install's language (`o4o seed --locale`, core::Config's
// seed_locale): words("Korean", "English") is the one the locale asks for. Korean unless "en".
class DemoWords {
 public:
  explicit DemoWords(std::string_view locale) : english_(locale == "en") {}
  std::string operator()(const char* ko, const char* en) const { return english_ ? en : ko; }
  bool english() const { return english_; }

 private:
  bool english_;
};

}  // namespace o4o::accounts
