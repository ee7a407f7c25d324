#pragma once
// Login throttling kept in the database, so that every instance counts the same attempts: at most
// `login_max_failures` per (account, client address) and `login_ip_max_failures` per address in
// a sliding window of `login_window_seconds`. Once a limit is reached every attempt answers 429
// with Retry-After, whatever the password, until enough old attempts leave the window.
#include <string>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "db/database.hpp"

namespace o4o::services::auth {

class LoginThrottle {
 public:
  LoginThrottle(db::Database& db, const core::Clock& clock, const core::Config& config)
      : db_(db), clock_(clock), config_(config) {}

  // Records the attempt as a failure before the password is checked (so that parallel attempts
  // count too), or throws 429 RATE_LIMITED when a limit is already reached.
  void begin(const std::string& email, const std::string& ip);
  // The password was right: the account's attempts from this address are forgotten.
  void succeeded(const std::string& email, const std::string& ip);

 private:
  db::Database& db_;
  const core::Clock& clock_;
  const core::Config& config_;
};

}  // namespace o4o::services::auth
