#include "services/signage/routes.hpp"

#include <boost/json.hpp>

#include "core/auth.hpp"
#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "core/text.hpp"
#include "services/signage/content.hpp"
#include "services/signage/schedule_json.hpp"

namespace o4o::services::signage {

namespace json = boost::json;
using core::Method;
using core::Need;
using core::Request;
using core::Response;

namespace {

constexpr std::string_view kBase = "/api/v1/signage/displays";

std::string route(std::string_view suffix) {
  return std::string(kBase) + std::string(suffix);
}

core::ApiError display_not_found() {
  return core::err::not_found("Display not found");
}
core::ApiError bad_device_token() {
  return core::err::unauthorized("Invalid or revoked token");
}

// The path's display id, lowercased; anything but a UUID is 404.
std::string display_id(const Request& req) {
  auto raw = req.param("id");
  if (!core::is_uuid(raw)) throw display_not_found();
  return core::ascii_lower(raw);
}

// The token of an "Authorization: Bearer <token>" header; nullopt without the header, 401 for
// any other scheme.
std::optional<std::string> device_token(const Request& req) {
  auto token = core::bearer_token(req);
  if (!token) return std::nullopt;
  if (token->empty()) throw bad_device_token();
  return std::string(*token);
}

class Handlers {
 public:
  Handlers(core::AppContext& ctx, std::shared_ptr<SignageModule> module)
      : ctx_(ctx), module_(std::move(module)), service_(module_->service) {}

  Response list(Request& req) {
    require_admin(req);
    auto page = core::parse_page(req);
    auto result = service_.list(page.limit, page.offset());
    auto now = service_.now_ms();
    return core::ok(
        core::page_json(result, page, [now](const Display& d) { return display_json(d, now); }));
  }

  Response create(Request& req) {
    require_admin(req);
    auto body = core::JsonBody::parse(req);
    auto name = body.string("name", Need::required, 1, 100);
    auto location = body.string("location", Need::required, 1, 200);
    body.finish();
    auto made = service_.create(*name, *location);
    return core::created(
        json::object{{"display", render(made.display)}, {"deviceToken", made.device_token}});
  }

  // An admin's access token, or this display's own device token.
  Response get(Request& req) {
    auto token = device_token(req);
    if (!token) throw core::err::unauthorized();
    std::optional<core::AuthUser> user;
    try {
      user = ctx_.auth.verify_token(*token);
    } catch (const core::ApiError& e) {
      if (e.status() != 401) throw;
    }
    if (user) {
      core::require_role(*user, {"admin"});
      return core::ok(render(found(service_.find(display_id(req)))));
    }
    auto display = service_.find_by_token(*token);
    if (!display || display->id != req.param("id")) throw bad_device_token();
    return core::ok(render(*display));
  }

  Response update(Request& req) {
    require_admin(req);
    auto id = display_id(req);
    auto body = core::JsonBody::parse(req);
    auto name = body.string("name", Need::optional, 1, 100);
    auto location = body.string("location", Need::optional, 1, 200);
    body.finish();
    if (!name && !location) return core::ok(render(found(service_.find(id))));
    return core::ok(render(found(service_.update_details(id, name, location))));
  }

  Response rotate_token(Request& req) {
    require_admin(req);
    auto token = service_.rotate_token(display_id(req));
    if (!token) throw display_not_found();
    return core::ok(json::object{{"deviceToken", *token}});
  }

  Response set_content(Request& req) {
    require_admin(req);
    auto id = display_id(req);
    auto body = core::JsonBody::parse(req);
    auto content = read_content(body, "", true);
    body.finish();
    if (!content) throw core::err::validation("type", "content is not valid");
    return core::ok(render(found(service_.set_content(id, *content))));
  }

  // An empty entries list removes the schedule.
  Response set_schedule(Request& req) {
    require_admin(req);
    auto id = display_id(req);
    auto body = core::JsonBody::parse(req);
    auto schedule = read_schedule(body);
    body.finish();
    if (!schedule) throw core::err::validation("entries", "schedule is not valid");
    return core::ok(render(found(service_.set_schedule(id, *schedule))));
  }

  Response remove(Request& req) {
    require_admin(req);
    if (!service_.remove(display_id(req))) throw display_not_found();
    return core::ok(nullptr);
  }

  // Server-sent events for a player holding this display's device token. Returns at once: the
  // session holds the stream; the hub feeds it.
  Response stream(Request& req) {
    auto token = device_token(req);
    if (!token) {
      if (auto q = req.query_param("token"); q && !q->empty()) token = std::string(*q);
    }
    if (!token) throw core::err::unauthorized();
    auto display = service_.find_by_token(*token);
    if (!display || display->id != req.param("id")) throw bad_device_token();
    auto stream = module_->hub->open(display->id, display->token_hash);
    if (!stream) throw bad_device_token();
    Response res;
    res.content_type = "text/event-stream";
    res.stream = std::move(stream);  // the session adds Cache-Control and the chunking
    return res;
  }

 private:
  void require_admin(const Request& req) {
    auto user = ctx_.auth.require_user(req);
    core::require_role(user, {"admin"});
  }
  json::object render(const Display& d) const { return display_json(d, service_.now_ms()); }
  static const Display& found(const std::optional<Display>& d) {
    if (!d) throw display_not_found();
    return *d;
  }

  core::AppContext& ctx_;
  std::shared_ptr<SignageModule> module_;
  DisplayService& service_;
};

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                const std::shared_ptr<SignageModule>& module) {
  auto h = std::make_shared<Handlers>(ctx, module);
  auto bind = [h](Response (Handlers::*fn)(Request&)) {
    return [h, fn](Request& req) { return ((*h).*fn)(req); };
  };
  router.add({Method::get, route(""), bind(&Handlers::list), core::Exec::db});
  router.add({Method::post, route(""), bind(&Handlers::create), core::Exec::db});
  router.add({Method::get, route("/:id"), bind(&Handlers::get), core::Exec::db});
  router.add({Method::put, route("/:id"), bind(&Handlers::update), core::Exec::db});
  router.add({Method::del, route("/:id"), bind(&Handlers::remove), core::Exec::db});
  router.add({Method::post, route("/:id/token"), bind(&Handlers::rotate_token), core::Exec::db});
  router.add({Method::put, route("/:id/content"), bind(&Handlers::set_content), core::Exec::db});
  router.add({Method::put, route("/:id/schedule"), bind(&Handlers::set_schedule), core::Exec::db});
  router.add({Method::get, route("/:id/stream"), bind(&Handlers::stream), core::Exec::db});
}

}  // namespace o4o::services::signage
