#include "accounts/user.hpp"

#include "core/time_format.hpp"

namespace o4o::accounts {

boost::json::object user_json(const UserRecord& user) {
  return boost::json::object{
      {"id", user.id},
      {"email", user.email},
      {"name", user.name},
      {"role", user.role},
      {"emailVerified", user.email_verified},
      {"locale", user.locale},
      {"notifyNewPledges", user.notify_new_pledges},
      {"notifyPaidOrders", user.notify_paid_orders},
      {"createdAt", core::format_timestamp(user.created_at)},
      {"updatedAt", core::format_timestamp(user.updated_at)},
  };
}

}  // namespace o4o::accounts
