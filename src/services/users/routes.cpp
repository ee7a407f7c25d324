// HTTP <-> DTO for /api/v1/users: validation here, rules in UsersService.
#include "services/users/routes.hpp"

#include "accounts/accounts.hpp"
#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/json_body.hpp"
#include "core/password.hpp"

namespace o4o::services::users {
namespace {

using core::Need;

constexpr std::size_t kMaxPasswordInput = 4096;

UserUpdate parse_update(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  UserUpdate in;
  in.name = body.string("name", Need::optional, 1, 100);
  if (auto password = body.string("password", Need::optional, 0, kMaxPasswordInput, false)) {
    if (auto problem = core::password_problem(*password)) body.fail("password", *problem);
    in.password = std::move(password);
  }
  in.current_password = body.string("currentPassword", Need::optional, 0, kMaxPasswordInput, false);
  in.role = body.one_of("role", Need::optional, {"admin", "creator", "user"});
  if (auto email = body.string("email", Need::optional, 1, 320)) {
    if (auto normalized = accounts::normalize_email(*email)) {
      in.email = std::move(normalized);
    } else {
      body.fail("email", "email must be a valid email address");
    }
  }
  in.locale = body.one_of("locale", Need::optional, {"ko", "en"});
  in.notify_new_pledges = body.boolean("notifyNewPledges", Need::optional);
  in.notify_paid_orders = body.boolean("notifyPaidOrders", Need::optional);
  body.finish();
  return in;
}

// A PUT hashes only to change the password or to check currentPassword (which a password or email
// change of one's own needs); a name, language or notification change hashes nothing and must not
// use up the address's password-hashing budget. A body the handler refuses hashes nothing either.
bool update_hashes(const core::Request& req) {
  try {
    const auto in = parse_update(req);
    return in.password.has_value() || in.current_password.has_value();
  } catch (const core::ApiError&) {
    return false;
  }
}

class Handlers {
 public:
  explicit Handlers(std::shared_ptr<UsersService> service) : service_(std::move(service)) {}

  core::Response list(core::Request& req) {
    const auto page = core::parse_page(req);
    auto result = service_->list(page, core::query_text(req, "q"));
    return core::ok(core::page_json(result, page, accounts::user_json));
  }
  core::Response get(core::Request& req) {
    return core::ok(accounts::user_json(service_->get(req.user(), std::string(req.param("id")))));
  }
  core::Response update(core::Request& req) {
    auto in = parse_update(req);
    in.client_ip = req.client_ip;
    return core::ok(
        accounts::user_json(service_->update(req.user(), std::string(req.param("id")), in)));
  }
  core::Response remove(core::Request& req) {
    service_->remove(req.user(), std::string(req.param("id")));
    return core::ok(nullptr);
  }

 private:
  std::shared_ptr<UsersService> service_;
};

class AdminHandlers {
 public:
  explicit AdminHandlers(std::shared_ptr<AccountAdmin> admin) : admin_(std::move(admin)) {}

  core::Response request_creator(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    auto reason = body.string("reason", Need::required, 1, 1000);
    body.finish();
    return core::created(creator_request_json(admin_->request_creator(req.user(), *reason)));
  }
  core::Response my_request(core::Request& req) {
    auto request = admin_->my_request(req.user());
    if (!request) return core::ok(nullptr);
    return core::ok(creator_request_json(*request));
  }
  core::Response list_requests(core::Request& req) {
    const auto page = core::parse_page(req);
    auto status = core::query_enum(req, "status", {"pending", "approved", "rejected"});
    return core::ok(
        core::page_json(admin_->list_requests(page, status), page, creator_request_json));
  }
  core::Response approve(core::Request& req) {
    return core::ok(
        accounts::user_json(admin_->decide(std::string(req.param("id")), true, std::nullopt)));
  }
  core::Response reject(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    auto reason = body.string("reason", Need::optional, 0, 1000);
    body.finish();
    return core::ok(
        accounts::user_json(admin_->decide(std::string(req.param("id")), false, reason)));
  }
  core::Response outbox(core::Request& req) {
    const auto page = core::parse_page(req);
    auto status = core::query_enum(req, "status", {"queued", "sent", "failed"});
    return core::ok(core::page_json(admin_->outbox(page, status), page, outbox_mail_json));
  }

 private:
  std::shared_ptr<AccountAdmin> admin_;
};

}  // namespace

void add_account_admin_routes(core::Router& router, std::shared_ptr<AccountAdmin> admin) {
  using core::Access;
  using core::Method;
  using H = AdminHandlers;
  router.add_table<H>(
      std::make_shared<H>(std::move(admin)),
      {
          {Method::post, "/api/v1/users/me/creator-request", Access::user, &H::request_creator},
          {Method::get, "/api/v1/users/me/creator-request", Access::user, &H::my_request},
          {Method::get, "/api/v1/users/creator-requests", Access::admin, &H::list_requests},
          {Method::post, "/api/v1/users/:id/creator-request/approve", Access::admin, &H::approve},
          {Method::post, "/api/v1/users/:id/creator-request/reject", Access::admin, &H::reject},
          {Method::get, "/api/v1/admin/outbox", Access::admin, &H::outbox},
      });
}

void add_users_routes(core::Router& router, std::shared_ptr<UsersService> service) {
  using core::Access;
  using core::Exec;
  using core::Method;
  using H = Handlers;
  // PUT may hash a password: on the CPU pool like login, counted toward the per-address hashing
  // limit when it will hash. Self-or-admin is the service's rule.
  router.add_table<H>(
      std::make_shared<H>(std::move(service)),
      {
          {Method::get, "/api/v1/users", Access::admin, &H::list},
          {Method::get, "/api/v1/users/:id", Access::user, &H::get},
          {Method::put, "/api/v1/users/:id", Access::user, &H::update, Exec::cpu, &update_hashes},
          {Method::del, "/api/v1/users/:id", Access::user, &H::remove},
      });
}

}  // namespace o4o::services::users
