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

class Handlers {
 public:
  explicit Handlers(std::shared_ptr<SignageModule> module)
      : module_(std::move(module)), service_(module_->service) {}

  Response list(Request& req) {
    auto page = core::parse_page(req);
    auto result = service_.list(page.limit, page.offset());
    auto now = service_.now_ms();
    return core::ok(
        core::page_json(result, page, [now](const Display& d) { return display_json(d, now); }));
  }

  Response create(Request& req) {
    auto body = core::JsonBody::parse(req);
    auto name = body.string("name", Need::required, 1, 100);
    auto location = body.string("location", Need::required, 1, 200);
    body.finish();
    auto made = service_.create(*name, *location);
    return core::created(
        json::object{{"display", render(made.display)}, {"deviceToken", made.device_token}});
  }

  // An admin (the access rule checked the role), or this display's own device token.
  Response get(Request& req) {
    if (req.caller.user) return core::ok(render(found(service_.find(display_id(req)))));
    return core::ok(render(own_display(req)));
  }

  Response update(Request& req) {
    auto id = display_id(req);
    auto body = core::JsonBody::parse(req);
    auto name = body.string("name", Need::optional, 1, 100);
    auto location = body.string("location", Need::optional, 1, 200);
    body.finish();
    if (!name && !location) return core::ok(render(found(service_.find(id))));
    return core::ok(render(found(service_.update_details(id, name, location))));
  }

  Response rotate_token(Request& req) {
    auto token = service_.rotate_token(display_id(req));
    if (!token) throw display_not_found();
    return core::ok(json::object{{"deviceToken", *token}});
  }

  Response set_content(Request& req) {
    auto id = display_id(req);
    auto body = core::JsonBody::parse(req);
    auto content = parse_content(body, "", true);
    body.finish();
    if (!content) throw core::err::validation("type", "content is not valid");
    return core::ok(render(found(service_.set_content(id, *content))));
  }

  // An empty entries list removes the schedule.
  Response set_schedule(Request& req) {
    auto id = display_id(req);
    auto body = core::JsonBody::parse(req);
    auto schedule = parse_schedule(body);
    body.finish();
    if (!schedule) throw core::err::validation("entries", "schedule is not valid");
    return core::ok(render(found(service_.set_schedule(id, *schedule))));
  }

  Response remove(Request& req) {
    if (!service_.remove(display_id(req))) throw display_not_found();
    return core::ok(nullptr);
  }

  // Server-sent events for a player holding this display's device token. Returns at once: the
  // session holds the stream; the hub feeds it.
  Response stream(Request& req) {
    auto display = own_display(req);
    auto stream = module_->hub->open(display.id, display.token_hash);
    if (!stream) throw bad_device_token();
    Response res;
    res.content_type = "text/event-stream";
    res.stream = std::move(stream);  // the session adds Cache-Control and the chunking
    return res;
  }

 private:
  // The display the caller's device token belongs to, when it is the one in the path (401 for any
  // other token, another display's included).
  Display own_display(const Request& req) {
    auto display = service_.find_by_token(req.caller.device_token);
    if (!display || display->id != req.param("id")) throw bad_device_token();
    return std::move(*display);
  }
  json::object render(const Display& d) const { return display_json(d, service_.now_ms()); }
  static const Display& found(const std::optional<Display>& d) {
    if (!d) throw display_not_found();
    return *d;
  }

  std::shared_ptr<SignageModule> module_;
  DisplayService& service_;
};

}  // namespace

void add_routes(core::Router& router, const std::shared_ptr<SignageModule>& module) {
  using core::Access;
  using H = Handlers;
  router.add_table<H>(
      std::make_shared<H>(module),
      {
          {Method::get, "/api/v1/signage/displays", Access::admin, &H::list},
          {Method::post, "/api/v1/signage/displays", Access::admin, &H::create},
          {Method::get, "/api/v1/signage/displays/:id", Access::admin_or_device, &H::get},
          {Method::put, "/api/v1/signage/displays/:id", Access::admin, &H::update},
          {Method::del, "/api/v1/signage/displays/:id", Access::admin, &H::remove},
          {Method::post, "/api/v1/signage/displays/:id/token", Access::admin, &H::rotate_token},
          {Method::put, "/api/v1/signage/displays/:id/content", Access::admin, &H::set_content},
          {Method::put, "/api/v1/signage/displays/:id/schedule", Access::admin, &H::set_schedule},
          {Method::get, "/api/v1/signage/displays/:id/stream", Access::device, &H::stream},
      });
}

}  // namespace o4o::services::signage
