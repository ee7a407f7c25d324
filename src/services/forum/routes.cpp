// HTTP ↔ forum values: the route table (who may call what) and thin handlers that parse, call the
// service and render.
#include "services/forum/routes.hpp"

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/pagination.hpp"
#include "services/forum/json.hpp"
#include "services/forum/requests.hpp"

namespace o4o::services::forum {
namespace {

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

class Handlers {
 public:
  Handlers(const core::Config& config, const core::Authenticator& auth,
           const core::AppPages& pages, std::shared_ptr<ForumService> service)
      : config_(config), auth_(auth), pages_(pages), service_(std::move(service)) {}

  core::Response categories(core::Request&) {
    return core::ok(categories_json(service_->categories()));
  }

  core::Response set_category_names(core::Request& req) {
    const auto slug = parse_category_slug(req);
    const auto names = parse_category_names(req);
    return core::ok(category_json(service_->set_category_names(slug, names)));
  }

  core::Response list_posts(core::Request& req) {
    const auto viewer = viewer_id(req);
    const auto page = core::parse_page(req);
    const auto filter = parse_post_filter(req);
    auto list = service_->list_posts(filter, page, viewer);
    return core::ok(core::page_json(list, page, post_json));
  }

  core::Response create_post(core::Request& req) {
    core::require_verified_email(config_, req.user());
    const auto input = parse_new_post(req);
    return core::created(post_json(service_->create_post(req.user(), input)));
  }

  core::Response get_post(core::Request& req) {
    const auto viewer = viewer_id(req);
    return core::ok_serialized(service_->get_post_json(post_id(req), viewer));
  }

  // What the read cache may answer of get_post on the IO thread (core::Route::cached): an
  // anonymous reader's post (likedByMe false). Any Authorization header goes to the handler,
  // which reads likedByMe for the token's user, or answers 401 for a bad token.
  std::optional<core::CachedRead> cached_post(const core::Request& req) const {
    if (req.header("Authorization")) return std::nullopt;
    auto key = ForumService::post_key(req.param("id"));
    if (!key) return std::nullopt;
    return core::CachedRead{std::move(*key), &ForumService::for_anonymous};
  }

  // The app's post page with its preview card.
  core::Response post_page(core::Request& req) {
    return pages_.share(req, req.param("id"), [&](const std::string& id) {
      const Post p = service_->get_post_alone(id);
      return core::ShareCard{p.title, p.content, std::nullopt, "article", std::nullopt};
    });
  }

  core::Response update_post(core::Request& req) {
    const auto id = post_id(req);
    const auto patch = parse_post_patch(req);
    return core::ok(post_json(service_->update_post(req.user(), id, patch)));
  }

  core::Response delete_post(core::Request& req) {
    service_->delete_post(req.user(), post_id(req));
    return core::ok(nullptr);
  }

  core::Response list_comments(core::Request& req) {
    const auto page = core::parse_page(req);
    auto list = service_->list_comments(post_id(req), page);
    return core::ok(core::page_json(list, page, comment_json));
  }

  core::Response add_comment(core::Request& req) {
    core::require_verified_email(config_, req.user());
    const auto id = post_id(req);
    const auto content = parse_comment_content(req);
    return core::created(comment_json(service_->add_comment(req.user(), id, content)));
  }

  core::Response update_comment(core::Request& req) {
    const auto id = post_id(req);
    const auto cid = comment_id(req);
    const auto content = parse_comment_content(req);
    return core::ok(comment_json(service_->update_comment(req.user(), id, cid, content)));
  }

  core::Response delete_comment(core::Request& req) {
    const auto id = post_id(req);
    service_->delete_comment(req.user(), id, comment_id(req));
    return core::ok(nullptr);
  }

  core::Response like(core::Request& req) {
    return core::ok(post_json(service_->like(req.user(), post_id(req))));
  }

  core::Response unlike(core::Request& req) {
    return core::ok(post_json(service_->unlike(req.user(), post_id(req))));
  }

 private:
  // The reader of a public page, for likedByMe; empty when anonymous. A token that is sent must
  // be valid (401 otherwise), as on every route.
  std::string viewer_id(const core::Request& req) const {
    const auto user = auth_.optional_user(req);
    return user ? user->id : std::string();
  }

  const core::Config& config_;
  const core::Authenticator& auth_;
  const core::AppPages& pages_;
  std::shared_ptr<ForumService> service_;
};

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<ForumService> service) {
  using core::Access;
  using core::Method;
  using H = Handlers;
  // Authors and admins edit and delete (the service's rule); pinning and locking are admin-only.
  router.add_table<H>(
      std::make_shared<H>(ctx.config, ctx.auth, ctx.pages, std::move(service)),
      {
          {Method::get, "/api/v1/forum/categories", Access::anyone, &H::categories},
          {Method::put, "/api/v1/forum/categories/:slug", Access::admin, &H::set_category_names},
          {Method::get, "/api/v1/forum/posts", Access::anyone, &H::list_posts},
          {Method::post, "/api/v1/forum/posts", Access::user, &H::create_post},
          {Method::get, "/api/v1/forum/posts/:id", Access::anyone, &H::get_post, &H::cached_post},
          {Method::get, "/forum/posts/:id", Access::anyone, &H::post_page},
          {Method::put, "/api/v1/forum/posts/:id", Access::user, &H::update_post},
          {Method::del, "/api/v1/forum/posts/:id", Access::user, &H::delete_post},
          {Method::get, "/api/v1/forum/posts/:id/comments", Access::anyone, &H::list_comments},
          {Method::post, "/api/v1/forum/posts/:id/comments", Access::user, &H::add_comment},
          {Method::put, "/api/v1/forum/posts/:id/comments/:commentId", Access::user,
           &H::update_comment},
          {Method::del, "/api/v1/forum/posts/:id/comments/:commentId", Access::user,
           &H::delete_comment},
          {Method::post, "/api/v1/forum/posts/:id/like", Access::user, &H::like},
          {Method::del, "/api/v1/forum/posts/:id/like", Access::user, &H::unlike},
      });
}

}  // namespace o4o::services::forum
