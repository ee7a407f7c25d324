#include "services/users/account_admin.hpp"

#include "accounts/user_repository.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "mail/notify.hpp"

namespace o4o::services::users {
namespace {

namespace request_repo = accounts::creator_request_repo;
namespace user_repo = accounts::user_repo;

boost::json::value opt_time(const std::optional<int64_t>& t) {
  if (!t) return nullptr;
  return boost::json::value(core::format_timestamp(*t));
}

boost::json::value opt_text(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::value(*s);
}

}  // namespace

CreatorRequest AccountAdmin::request_creator(const core::AuthUser& actor,
                                             const std::string& reason) {
  return ctx_.db.write([&](db::Connection& c) {
    const int64_t now = ctx_.clock.now_ms();
    auto user = user_repo::find(c, actor.id);
    if (!user) throw core::err::unauthorized();
    if (user->role != "user") {
      throw core::err::conflict("CONFLICT", "You can create projects already");
    }
    auto latest = request_repo::latest_of(c, actor.id);
    if (latest && latest->status == "pending") {
      throw core::err::conflict("CONFLICT", "Your request is waiting for a decision");
    }
    request_repo::insert(c, core::new_uuid(), actor.id, reason, now);
    return *request_repo::latest_of(c, actor.id);
  });
}

std::optional<CreatorRequest> AccountAdmin::my_request(const core::AuthUser& actor) {
  return ctx_.db.read([&](db::Connection& c) { return request_repo::latest_of(c, actor.id); });
}

core::PageOf<CreatorRequest> AccountAdmin::list_requests(const core::Page& page,
                                                         const std::optional<std::string>& status) {
  return ctx_.db.read([&](db::Connection& c) {
    return core::PageOf<CreatorRequest>{request_repo::list(c, status, page.limit, page.offset()),
                                        request_repo::count(c, status)};
  });
}

accounts::UserRecord AccountAdmin::decide(const std::string& user_id, bool approve,
                                          const std::optional<std::string>& reason) {
  if (!core::is_uuid(user_id)) throw core::err::not_found("User not found");
  return ctx_.db.write([&](db::Connection& c) {
    const int64_t now = ctx_.clock.now_ms();
    auto user = user_repo::find(c, user_id);
    if (!user) throw core::err::not_found("User not found");
    if (!request_repo::decide(c, user_id, approve ? "approved" : "rejected", reason, now)) {
      throw core::err::conflict("INVALID_TRANSITION", "This user has no pending creator request");
    }
    const std::string base = mail::public_base(ctx_.config);
    if (approve) {
      user_repo::Changes changes;
      if (user->role == "user") changes.role = "creator";
      user_repo::update(c, user_id, changes, now);
      mail::queue_for_user(c, ctx_.config, user_id, "creator_request_approved",
                           {{"link", base + "/projects/new"}}, now);
    } else {
      mail::queue_for_user(c, ctx_.config, user_id, "creator_request_rejected",
                           {{"reason", reason.value_or("-")}}, now);
    }
    return *user_repo::find(c, user_id);
  });
}

core::PageOf<mail::outbox::Mail> AccountAdmin::outbox(const core::Page& page,
                                                      const std::optional<std::string>& status) {
  return ctx_.db.read([&](db::Connection& c) {
    return core::PageOf<mail::outbox::Mail>{
        mail::outbox::list(c, status, page.limit, page.offset()), mail::outbox::count(c, status)};
  });
}

boost::json::object creator_request_json(const CreatorRequest& r) {
  return {{"id", r.id},
          {"userId", r.user_id},
          {"userName", r.user_name},
          {"userEmail", r.user_email},
          {"reason", r.reason},
          {"status", r.status},
          {"decisionReason", opt_text(r.decision_reason)},
          {"createdAt", core::format_timestamp(r.created_at)},
          {"decidedAt", opt_time(r.decided_at)}};
}

boost::json::object outbox_mail_json(const mail::outbox::Mail& m) {
  return {{"id", m.id},
          {"kind", m.kind},
          {"to", m.to},
          {"subject", m.subject},
          {"text", m.text},
          {"status", m.status},
          {"attempts", m.attempts},
          {"lastError", opt_text(m.last_error)},
          {"createdAt", core::format_timestamp(m.created_at)},
          {"sentAt", opt_time(m.sent_at)}};
}

}  // namespace o4o::services::users
