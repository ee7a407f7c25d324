#pragma once
// SQL on the users table: parameters in, rows out. Deleted (anonymised) users are never returned.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/user.hpp"
#include "core/auth.hpp"
#include "db/database.hpp"

namespace o4o::accounts::user_repo {

struct Credentials {
  UserRecord user;
  std::string password_hash;
};

std::optional<UserRecord> find(db::Connection& c, const std::string& id);
// Who a verified access token speaks for: id, email and the role as it is now.
std::optional<core::AuthUser> find_identity(db::Connection& c, const std::string& id);
// The id of the live user with this (normalised) email.
std::optional<std::string> find_id_by_email(db::Connection& c, const std::string& email);
// Locks the live user's row until the transaction ends (PostgreSQL; SQLite has one writer at a
// time already), so that writes counting what the user owns (at most N of a kind) take turns.
// False when there is no such live user.
bool lock(db::Connection& c, const std::string& id);
std::optional<Credentials> find_credentials_by_email(db::Connection& c, const std::string& email);
std::optional<Credentials> find_credentials(db::Connection& c, const std::string& id);

// Throws db::ConstraintError (unique) when the email is taken.
void insert(db::Connection& c, const UserRecord& user, const std::string& password_hash);

struct Changes {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::string> password_hash;
  // When set, the update happens only if the stored hash is still this one (the hash the current
  // password was checked against), so two password changes cannot both pass on one old password.
  std::optional<std::string> expected_hash;
  std::optional<std::string> locale;
  std::optional<bool> notify_new_pledges;
  std::optional<bool> notify_paid_orders;
  // A new (normalised) address: email_verified becomes false when it differs from the old one.
  std::optional<std::string> email;
};
// False when the user does not exist (any more) or the expected hash no longer matches.
bool update(db::Connection& c, const std::string& id, const Changes& changes, int64_t now);
// Access tokens issued before the second of `now` answer 401 from now on (a password reset).
void end_access_tokens(db::Connection& c, const std::string& id, int64_t now);
// Marks the email proven (or not), only while `email` is still the user's address.
bool set_email_verified(db::Connection& c, const std::string& id, const std::string& email,
                        bool verified, int64_t now);
// Sets every field but the email at once (`o4o users create` on an existing email); an account
// made by the operator counts as verified.
void overwrite(db::Connection& c, const std::string& id, const std::string& password_hash,
               const std::string& name, const std::string& role, int64_t now);

// Clears the email (free again), name and password hash and marks the user deleted; false when
// there is no such live user.
bool anonymise(db::Connection& c, const std::string& id, int64_t now);

// Live users, oldest first; `pattern` is a LIKE pattern (escaped with '\') matched against the
// lowercased email and name.
std::vector<UserRecord> list(db::Connection& c, const std::optional<std::string>& pattern,
                             int64_t limit, int64_t offset);
int64_t count(db::Connection& c, const std::optional<std::string>& pattern);
// Admins who want a mail on each paid order (at most 50).
std::vector<UserRecord> paid_order_watchers(db::Connection& c);

}  // namespace o4o::accounts::user_repo
