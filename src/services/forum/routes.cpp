// HTTP ↔ forum values. Handlers authenticate, parse, call the service and render; nothing else.
#include "services/forum/routes.hpp"

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/pagination.hpp"
#include "services/forum/json.hpp"
#include "services/forum/requests.hpp"

namespace o4o::services::forum {
namespace {

constexpr const char* kBase = "/api/v1/forum";

// A path id we could have issued, else 404 without asking the database.
std::string path_id(const core::Request& req, std::string_view name, const char* what) {
  const auto id = req.param(name);
  if (!core::is_uuid(id)) throw core::err::not_found(what);
  return std::string(id);
}

std::string post_id(const core::Request& req) {
  return path_id(req, "id", "Post not found");
}
std::string comment_id(const core::Request& req) {
  return path_id(req, "commentId", "Comment not found");
}

std::string viewer_id(const core::AppContext& ctx, const core::Request& req) {
  const auto user = ctx.auth.optional_user(req);
  return user ? user->id : std::string();
}

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<ForumService> service) {
  using core::Method;
  const std::string base = kBase;
  const std::string posts = base + "/posts";
  const std::string post = posts + "/:id";
  const std::string comments = post + "/comments";
  const std::string comment = comments + "/:commentId";
  const std::string like = post + "/like";
  // Every handler holds the service: it lives as long as the routes do.

  router.add({Method::get, base + "/categories",
              [service](core::Request&) { return core::ok(to_json(service->categories())); }});

  router.add({Method::get, posts, [service, &ctx](core::Request& req) {
                const auto viewer = viewer_id(ctx, req);
                const auto page = core::parse_page(req);
                const auto filter = parse_post_filter(req);
                auto list = service->list_posts(filter, page, viewer);
                return core::ok(
                    core::page_json(list, page, [](const Post& p) { return to_json(p); }));
              }});

  router.add({Method::post, posts, [service, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                core::require_verified_email(ctx.config, user);
                const auto input = parse_new_post(req);
                return core::created(to_json(service->create_post(user, input)));
              }});

  router.add({Method::get, post, [service, &ctx](core::Request& req) {
                const auto viewer = viewer_id(ctx, req);
                return core::ok(to_json(service->get_post(post_id(req), viewer)));
              }});

  router.add({Method::put, post, [service, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                const auto id = post_id(req);
                const auto patch = parse_post_patch(req);
                return core::ok(to_json(service->update_post(user, id, patch)));
              }});

  router.add({Method::del, post, [service, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                service->delete_post(user, post_id(req));
                return core::ok(nullptr);
              }});

  router.add({Method::post, comments, [service, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                core::require_verified_email(ctx.config, user);
                const auto id = post_id(req);
                const auto content = parse_comment_content(req);
                return core::created(to_json(service->add_comment(user, id, content)));
              }});

  router.add({Method::put, comment, [service, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                const auto id = post_id(req);
                const auto cid = comment_id(req);
                const auto content = parse_comment_content(req);
                return core::ok(to_json(service->update_comment(user, id, cid, content)));
              }});

  router.add({Method::del, comment, [service, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                const auto id = post_id(req);
                service->delete_comment(user, id, comment_id(req));
                return core::ok(nullptr);
              }});

  router.add({Method::post, like, [service, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                return core::ok(to_json(service->like(user, post_id(req))));
              }});

  router.add({Method::del, like, [service, &ctx](core::Request& req) {
                const auto user = ctx.auth.require_user(req);
                return core::ok(to_json(service->unlike(user, post_id(req))));
              }});
}

}  // namespace o4o::services::forum
