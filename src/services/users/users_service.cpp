#include "services/users/users_service.hpp"

#include "accounts/email_verification.hpp"
#include "accounts/token_repository.hpp"
#include "accounts/user_repository.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/password.hpp"
#include "core/text.hpp"
#include "mail/notify.hpp"

namespace o4o::services::users {
namespace {

namespace user_repo = accounts::user_repo;
namespace token_repo = accounts::token_repo;

// Unknown, malformed and other users' ids all look the same.
void check_target(const core::AuthUser& actor, const std::string& id) {
  if (!core::is_uuid(id)) throw core::err::not_found("User not found");
  core::require_owner_or_admin_hidden(actor, id);
}

}  // namespace

core::PageOf<UserRecord> UsersService::list(const core::Page& page,
                                            const std::optional<std::string>& query) {
  std::optional<std::string> pattern;
  if (query && !query->empty()) pattern = core::like_contains_pattern(core::ascii_lower(*query));
  return ctx_.db.read([&](db::Connection& c) {
    return core::PageOf<UserRecord>{user_repo::list(c, pattern, page.limit, page.offset()),
                                    user_repo::count(c, pattern)};
  });
}

UserRecord UsersService::get(const core::AuthUser& actor, const std::string& id) {
  check_target(actor, id);
  auto user = ctx_.db.read([&](db::Connection& c) { return user_repo::find(c, id); });
  if (!user) throw core::err::not_found("User not found");
  return *user;
}

UserRecord UsersService::update(const core::AuthUser& actor, const std::string& id,
                                const UserUpdate& in) {
  check_target(actor, id);
  auto current =
      ctx_.db.read([&](db::Connection& c) { return user_repo::find_credentials(c, id); });
  if (!current) throw core::err::not_found("User not found");

  user_repo::Changes changes;
  changes.name = in.name;
  changes.locale = in.locale;
  changes.notify_new_pledges = in.notify_new_pledges;
  changes.notify_paid_orders = in.notify_paid_orders;
  const bool email_changes = in.email && *in.email != current->user.email;
  if (email_changes) changes.email = in.email;
  // Someone holding only a stolen access token must not be able to take the account over, so
  // the user themself (an admin included) proves the current password to change the password or
  // the email; an admin changing another user's does not need it.
  if ((in.password || email_changes) && actor.id == id) {
    if (!in.current_password) {
      throw core::err::validation("currentPassword",
                                  "currentPassword is required to change your password or email");
    }
    // Guessing it here must cost what guessing at the login does: the same attempts, counted
    // under the account's email, and no hashing at all once they are used up.
    if (!throttle_.check(current->user.email, in.client_ip, *in.current_password,
                         current->password_hash)) {
      throw core::err::validation("currentPassword",
                                  "currentPassword is not your current password");
    }
    changes.expected_hash = current->password_hash;
  }
  if (in.role && *in.role != current->user.role) {
    if (!actor.is_admin()) throw core::err::forbidden("Only an admin can change a role");
    changes.role = in.role;
  }
  if (in.password) changes.password_hash = core::hash_password(*in.password);

  std::optional<UserRecord> updated;
  try {
    updated = ctx_.db.write([&](db::Connection& c) -> std::optional<UserRecord> {
      const int64_t now = ctx_.clock.now_ms();
      if (!user_repo::update(c, id, changes, now)) return std::nullopt;
      auto user = user_repo::find(c, id);
      if (!user) return std::nullopt;
      const std::string base = mail::public_base(ctx_.config);
      if (changes.password_hash) {
        token_repo::revoke_all_of_user(c, id, now);
        mail::queue_to_address(c, ctx_.config, user->email, user->locale, "password_changed",
                               {{"name", user->name}, {"link", base + "/forgot-password"}}, now);
      }
      if (email_changes) {
        accounts::queue_verification_mail(c, ctx_.config, *user, now);
        mail::queue_to_address(c, ctx_.config, current->user.email, user->locale,
                               "email_changed", {{"name", user->name}, {"email", user->email}},
                               now);
      }
      return user;
    });
  } catch (const db::ConstraintError& e) {
    if (e.kind != db::ConstraintError::Kind::unique) throw;
    throw core::err::conflict("EMAIL_TAKEN", "An account with this email already exists");
  }
  if (updated) return *updated;
  // Deleted meanwhile, or the password changed after the current one was checked.
  auto still_there = ctx_.db.read([&](db::Connection& c) { return user_repo::find(c, id); });
  if (!still_there) throw core::err::not_found("User not found");
  throw core::err::conflict("CONFLICT", "The password was changed meanwhile; try again");
}

void UsersService::remove(const core::AuthUser& actor, const std::string& id) {
  check_target(actor, id);
  const bool removed = ctx_.db.write([&](db::Connection& c) {
    const int64_t now = ctx_.clock.now_ms();
    if (!user_repo::anonymise(c, id, now)) return false;
    token_repo::revoke_all_of_user(c, id, now);
    return true;
  });
  if (!removed) throw core::err::not_found("User not found");
}

}  // namespace o4o::services::users
