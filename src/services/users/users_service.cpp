#include "services/users/users_service.hpp"

#include "accounts/token_repository.hpp"
#include "accounts/user_repository.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/password.hpp"
#include "core/text.hpp"

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

core::PageOf<UserRecord> UsersService::list(const core::AuthUser& actor, const core::Page& page,
                                            const std::optional<std::string>& query) {
  core::require_role(actor, {"admin"});
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
  if (in.role && *in.role != current->user.role) {
    if (!actor.is_admin()) throw core::err::forbidden("Only an admin can change a role");
    changes.role = in.role;
  }
  if (in.password) {
    // Someone holding only a stolen access token must not be able to take the account over, so
    // the user themself (an admin included) proves the current password; an admin resetting
    // another user's password does not need it.
    if (actor.id == id) {
      if (!in.current_password) {
        throw core::err::validation("currentPassword",
                                    "currentPassword is required to change your password");
      }
      if (!core::verify_password(*in.current_password, current->password_hash)) {
        throw core::err::validation("currentPassword",
                                    "currentPassword is not your current password");
      }
      changes.expected_hash = current->password_hash;
    }
    changes.password_hash = core::hash_password(*in.password);
  }

  auto updated = ctx_.db.write([&](db::Connection& c) -> std::optional<UserRecord> {
    const int64_t now = ctx_.clock.now_ms();
    if (!user_repo::update(c, id, changes, now)) return std::nullopt;
    if (changes.password_hash) token_repo::revoke_all_of_user(c, id, now);
    return user_repo::find(c, id);
  });
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
