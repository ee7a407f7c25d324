#pragma once
// Login throttling kept in the database, so that every instance counts the same attempts: at most
// `login_max_failures` per (account, client address) and `login_ip_max_failures` per address in
// a sliding window of `login_window_seconds`. Once a limit is reached every attempt answers 429
// with Retry-After, whatever the password, until enough old attempts leave the window.
//
// It lives in accounts, the owner of the `login_attempts` table, because every check of a user's
// password is an attempt at the account: login (auth) and the current password that a password or
// email change asks for (users) count toward the same limit, so a stolen access token cannot be
// used to guess the password past the login throttle.
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "db/database.hpp"

namespace o4o::accounts {

class LoginThrottle {
 public:
  LoginThrottle(db::Database& db, const core::Clock& clock, const core::Config& config)
      : db_(db), clock_(clock), config_(config) {}

  // One password check of the account `email` (as typed: attempts are counted under the
  // normalised address, or the trimmed, lowercased text when it is not a valid one) from
  // `client_ip`. Throws 429 RATE_LIMITED while a limit is reached, before any hashing; otherwise
  // counts the attempt, checks `password` against `password_hash`, and when it matches forgets
  // the account's attempts from that address, as a successful login does.
  bool check(std::string_view email, const std::string& client_ip, const std::string& password,
             const std::string& password_hash);

  // The two halves of check, for tests and callers that must do work in between. begin records
  // the attempt as a failure before the password is checked (so that parallel attempts count
  // too), or throws 429 RATE_LIMITED when a limit is already reached.
  void begin(std::string_view email, const std::string& client_ip);
  // The password was right: the account's attempts from this address are forgotten.
  void succeeded(std::string_view email, const std::string& client_ip);

 private:
  db::Database& db_;
  const core::Clock& clock_;
  const core::Config& config_;
};

}  // namespace o4o::accounts
