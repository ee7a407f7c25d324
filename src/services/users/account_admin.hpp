#pragma once
// Creator approval (O4O_CREATOR_APPROVAL=1: a user asks, an admin decides, the user is mailed) and
// the admins' view of the mail outbox. No HTTP types.
#include <optional>
#include <string>

#include "accounts/creator_request_repository.hpp"
#include "accounts/user.hpp"
#include "core/app_context.hpp"
#include "core/auth.hpp"
#include "core/pagination.hpp"
#include "mail/outbox.hpp"

namespace o4o::services::users {

using accounts::creator_request_repo::CreatorRequest;

class AccountAdmin {
 public:
  explicit AccountAdmin(core::AppContext& ctx) : ctx_(ctx) {}

  // 409 CONFLICT when the user is a creator or admin already, or has a request pending.
  CreatorRequest request_creator(const core::AuthUser& actor, const std::string& reason);
  // The actor's newest request, if any.
  std::optional<CreatorRequest> my_request(const core::AuthUser& actor);
  core::PageOf<CreatorRequest> list_requests(const core::Page& page,
                                             const std::optional<std::string>& status);
  // 404 for an unknown user; 409 INVALID_TRANSITION when nothing is pending.
  accounts::UserRecord decide(const std::string& user_id, bool approve,
                              const std::optional<std::string>& reason);

  core::PageOf<mail::outbox::Mail> outbox(const core::Page& page,
                                          const std::optional<std::string>& status);

 private:
  core::AppContext& ctx_;
};

boost::json::object creator_request_json(const CreatorRequest& r);
// {id, kind, to, subject, text, status, attempts, lastError, createdAt, sentAt}
boost::json::object outbox_mail_json(const mail::outbox::Mail& m);

}  // namespace o4o::services::users
