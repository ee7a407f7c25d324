#pragma once
// The contract's `user` object. The only way a user reaches a response: it has no field for a
// password or its hash.
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

namespace o4o::accounts {

// The change note (db::Connection::note_change) of every write that changes a user's name: read
// cache entries that show names (a project's creatorName, a post's authorName) carry it.
inline const std::string kUserNamesChanged = "accounts.names";
// The change note of every write that changes what an access token's check reads of the user
// (user_repo::find_identity: email, role, email_verified, sessions_after, deleted or not): the
// identity kept in memory by core::Authenticator carries it.
inline std::string identity_tag(const std::string& user_id) {
  return "accounts.user:" + user_id;
}

struct UserRecord {
  std::string id;
  std::string email;
  std::string name;
  std::string role;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  bool email_verified = false;
  std::string locale = "ko";      // ko | en: the language of the user's mail
  bool notify_new_pledges = true;  // a creator's mail on each new pledge of their projects
  bool notify_paid_orders = true;  // an admin's mail on each paid order
};

// {id, email, name, role, emailVerified, locale, notifyNewPledges, notifyPaidOrders, createdAt,
// updatedAt}
boost::json::object user_json(const UserRecord& user);

}  // namespace o4o::accounts
