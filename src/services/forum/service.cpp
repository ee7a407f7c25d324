#include "services/forum/service.hpp"

#include <boost/json/serialize.hpp>

#include "accounts/user.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "services/forum/json.hpp"
#include "services/forum/repository.hpp"

namespace o4o::services::forum {
namespace {

constexpr const char* kPostNotFound = "Post not found";
constexpr const char* kCommentNotFound = "Comment not found";

repo::PostState lock_existing_post(db::Connection& c, const std::string& id) {
  auto state = repo::lock_post(c, id);
  if (!state) throw core::err::not_found(kPostNotFound);
  return *state;
}

// A post that this transaction just locked or wrote: it exists.
Post reload(db::Connection& c, const std::string& id, const std::string& viewer_id) {
  auto post = repo::find_post(c, id, viewer_id);
  if (!post) throw core::err::not_found(kPostNotFound);
  return std::move(*post);
}

// The read cache's tag of a post (and of its comments, which show in the post's answer). A
// write that changes either notes it (db::Connection::note_change).
std::string post_tag(const std::string& id) {
  return "forum.post:" + id;
}
void post_changed(db::Connection& c, const std::string& id) {
  c.note_change(post_tag(id));
}

Comment reload_comment(db::Connection& c, const std::string& post_id,
                       const std::string& comment_id) {
  auto comment = repo::find_comment(c, post_id, comment_id);
  if (!comment) throw core::err::not_found(kCommentNotFound);
  return std::move(*comment);
}

}  // namespace

std::string submission_hash(const std::string& title, const std::string& content) {
  // Titles never contain NUL (validation refuses it), so the separator is unambiguous.
  std::string key = title;
  key.push_back('\0');
  key += content;
  return core::sha256_hex(key);
}

std::vector<Category> ForumService::categories() {
  return db_.read([](db::Connection& c) { return repo::list_categories(c); });
}

Category ForumService::set_category_names(const std::string& slug, const CategoryNames& names) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    repo::set_category_names(c, slug, names, now);
    return repo::find_category(c, slug);
  });
}

core::PageOf<Post> ForumService::list_posts(const PostFilter& filter, const core::Page& page,
                                            const std::string& viewer_id) {
  return repo::list_posts(db_, filter, page, viewer_id);
}

PostWithComments ForumService::get_post(const std::string& id, const std::string& viewer_id) {
  return db_.read([&](db::Connection& c) {
    auto post = repo::find_post(c, id, viewer_id);
    if (!post) throw core::err::not_found(kPostNotFound);
    auto comments = repo::list_comments(c, id, kCommentsInPost, 0);
    return PostWithComments{std::move(*post), std::move(comments)};
  });
}

Post ForumService::get_post_alone(const std::string& id) {
  return db_.read([&](db::Connection& c) {
    auto post = repo::find_post(c, id, "");
    if (!post) throw core::err::not_found(kPostNotFound);
    return std::move(*post);
  });
}

std::string ForumService::get_post_json(const std::string& id, const std::string& viewer_id) {
  // Rendered without likedByMe, which is put back first for this reader.
  auto render = [&] {
    auto json = post_detail_json(get_post(id, ""));
    json.erase("likedByMe");
    return core::ReadCache::Fresh{boost::json::serialize(json)};
  };
  const auto key = post_key(id);
  const auto shared =
      cache_ && key ? cache_->get(*key, {post_tag(id), accounts::kUserNamesChanged},
                                  clock_.now_ms(), render)
                    : std::make_shared<const std::string>(render().json);
  const bool liked = !viewer_id.empty() && db_.read([&](db::Connection& c) {
    return repo::liked_by(c, id, viewer_id);
  });
  return with_liked(*shared, liked);
}

std::optional<std::string> ForumService::post_key(std::string_view id) {
  if (!core::is_uuid(id)) return std::nullopt;
  return "forum.post:" + std::string(id);
}

std::string ForumService::with_liked(const std::string& shared, bool liked) {
  std::string out = liked ? R"({"likedByMe":true)" : R"({"likedByMe":false)";
  if (shared.size() > 2) out += ',';  // the post's own fields follow
  out.append(shared, 1);
  return out;
}

core::PageOf<Comment> ForumService::list_comments(const std::string& post_id,
                                                  const core::Page& page) {
  return db_.read([&](db::Connection& c) {
    auto post = repo::find_post(c, post_id, "");
    if (!post) throw core::err::not_found(kPostNotFound);
    core::PageOf<Comment> out;
    out.total = post->comment_count;
    if (page.offset() < out.total) {
      out.items = repo::list_comments(c, post_id, page.limit, page.offset());
    }
    return out;
  });
}

Post ForumService::create_post(const core::AuthUser& author, const NewPost& post) {
  const std::string hash = submission_hash(post.title, post.content);
  const int64_t now = clock_.now_ms();
  const int64_t cutoff = now - kDoubleSubmitWindowMs;
  return db_.write([&](db::Connection& c) {
    const std::string id = core::new_uuid();
    if (!repo::claim_submission(c, author.id, hash, id, now, cutoff)) {
      // A recent identical submission holds the slot (a parallel one waited for it to commit).
      if (auto first = repo::submission_post(c, author.id, hash)) {
        if (auto existing = repo::find_post(c, *first, author.id)) return std::move(*existing);
      }
      repo::replace_submission(c, author.id, hash, id, now);
    }
    repo::insert_post(c, id, author.id, post, now);
    return reload(c, id, author.id);
  });
}

Post ForumService::update_post(const core::AuthUser& user, const std::string& id,
                               const PostPatch& patch) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    auto state = lock_existing_post(c, id);
    core::require_owner_or_admin(user, state.author_id);
    if (patch.touches_moderation() && !user.is_admin()) {
      throw core::err::forbidden("Only an admin may pin or lock a post");
    }
    if (patch.title) state.title = *patch.title;
    if (patch.content) state.content = *patch.content;
    if (patch.category) state.category = *patch.category;
    if (patch.pinned) state.pinned = *patch.pinned;
    if (patch.locked) state.locked = *patch.locked;
    repo::update_post(c, id, state, now);
    post_changed(c, id);
    return reload(c, id, user.id);
  });
}

void ForumService::delete_post(const core::AuthUser& user, const std::string& id) {
  db_.write([&](db::Connection& c) {
    const auto state = lock_existing_post(c, id);
    core::require_owner_or_admin(user, state.author_id);
    repo::delete_post(c, id);
    post_changed(c, id);
  });
}

Comment ForumService::add_comment(const core::AuthUser& user, const std::string& post_id,
                                  const std::string& content) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    const auto state = lock_existing_post(c, post_id);
    if (state.locked) {
      throw core::err::conflict("CONFLICT", "This post is locked; it takes no new comments");
    }
    const std::string id = core::new_uuid();
    repo::insert_comment(c, id, post_id, user.id, content, now);
    repo::add_comment_count(c, post_id, 1);
    post_changed(c, post_id);
    return reload_comment(c, post_id, id);
  });
}

Comment ForumService::update_comment(const core::AuthUser& user, const std::string& post_id,
                                     const std::string& comment_id, const std::string& content) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    const auto state = repo::lock_comment(c, post_id, comment_id);
    if (!state) throw core::err::not_found(kCommentNotFound);
    core::require_owner_or_admin(user, state->author_id);
    repo::update_comment(c, comment_id, content, now);
    post_changed(c, post_id);
    return reload_comment(c, post_id, comment_id);
  });
}

void ForumService::delete_comment(const core::AuthUser& user, const std::string& post_id,
                                  const std::string& comment_id) {
  db_.write([&](db::Connection& c) {
    // Locks in the order post, then comment, like every other write that touches both.
    if (!repo::lock_post(c, post_id)) throw core::err::not_found(kCommentNotFound);
    const auto state = repo::lock_comment(c, post_id, comment_id);
    if (!state) throw core::err::not_found(kCommentNotFound);
    core::require_owner_or_admin(user, state->author_id);
    if (repo::delete_comment(c, post_id, comment_id)) repo::add_comment_count(c, post_id, -1);
    post_changed(c, post_id);
  });
}

Post ForumService::like(const core::AuthUser& user, const std::string& post_id) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    lock_existing_post(c, post_id);
    if (repo::insert_like(c, post_id, user.id, now)) repo::add_like_count(c, post_id, 1);
    post_changed(c, post_id);
    return reload(c, post_id, user.id);
  });
}

Post ForumService::unlike(const core::AuthUser& user, const std::string& post_id) {
  return db_.write([&](db::Connection& c) {
    lock_existing_post(c, post_id);
    if (repo::delete_like(c, post_id, user.id)) repo::add_like_count(c, post_id, -1);
    post_changed(c, post_id);
    return reload(c, post_id, user.id);
  });
}

std::optional<std::string> ForumService::find_post_id(const std::string& author_id,
                                                      const std::string& title) {
  return db_.read(
      [&](db::Connection& c) { return repo::find_post_by_author_title(c, author_id, title); });
}

}  // namespace o4o::services::forum
