#pragma once
// Business rules of the forum: who may do what, the double-submit window, counters kept exact in
// the same transaction as the rows they count. No HTTP types; failures are core::ApiError.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth.hpp"
#include "core/clock.hpp"
#include "core/pagination.hpp"
#include "core/read_cache.hpp"
#include "db/database.hpp"
#include "services/forum/model.hpp"

namespace o4o::services::forum {

class ForumService {
 public:
  // cache: where rendered posts are kept (null: none).
  ForumService(db::Database& db, const core::Clock& clock, core::ReadCache* cache = nullptr)
      : db_(db), clock_(clock), cache_(cache) {}

  std::vector<Category> categories();
  // Sets a category's display names (admin; the route's rule). Any valid slug, used or not.
  Category set_category_names(const std::string& slug, const CategoryNames& names);
  // viewer_id: the reader's id, or empty for an anonymous reader.
  core::PageOf<Post> list_posts(const PostFilter& filter, const core::Page& page,
                                const std::string& viewer_id);
  // The post with its first kCommentsInPost comments (commentCount has them all).
  PostWithComments get_post(const std::string& id, const std::string& viewer_id);
  static constexpr int64_t kCommentsInPost = 100;
  // The post without its comments (a shared link's preview).
  Post get_post_alone(const std::string& id);
  // The contract's JSON of get_post, serialized: the post, the same for every reader, from the
  // read cache when it holds it; likedByMe read for this reader.
  std::string get_post_json(const std::string& id, const std::string& viewer_id);
  // The read cache's key of get_post_json's shared part; nullopt for an id we could not have
  // issued. The route names the same key to answer an anonymous reader's hit on the IO thread.
  static std::optional<std::string> post_key(std::string_view id);
  // get_post_json's answer from the shared part kept in the cache and the reader's likedByMe.
  static std::string with_liked(const std::string& shared, bool liked);
  static std::string for_anonymous(const std::string& shared) { return with_liked(shared, false); }
  // A page of a post's comments, oldest first; 404 for an unknown post.
  core::PageOf<Comment> list_comments(const std::string& post_id, const core::Page& page);

  // The same author sending the same title and content within kDoubleSubmitWindowMs gets the
  // first post back (parallel duplicates included).
  Post create_post(const core::AuthUser& author, const NewPost& post);
  Post update_post(const core::AuthUser& user, const std::string& id, const PostPatch& patch);
  void delete_post(const core::AuthUser& user, const std::string& id);

  Comment add_comment(const core::AuthUser& user, const std::string& post_id,
                      const std::string& content);
  Comment update_comment(const core::AuthUser& user, const std::string& post_id,
                         const std::string& comment_id, const std::string& content);
  void delete_comment(const core::AuthUser& user, const std::string& post_id,
                      const std::string& comment_id);

  Post like(const core::AuthUser& user, const std::string& post_id);
  Post unlike(const core::AuthUser& user, const std::string& post_id);

  // For demo data: the id of the author's post with this title, if any.
  std::optional<std::string> find_post_id(const std::string& author_id, const std::string& title);

 private:
  db::Database& db_;
  const core::Clock& clock_;
  core::ReadCache* cache_;
};

// The double-submit key of a post: a hash of its title and content.
std::string submission_hash(const std::string& title, const std::string& content);

}  // namespace o4o::services::forum
