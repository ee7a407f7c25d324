#pragma once
// SQL of the forum: parameters in, rows out. Every statement is a named constant in
// repository.cpp (list_sql.cpp for the composed list and search statements).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pagination.hpp"
#include "db/database.hpp"
#include "services/forum/model.hpp"

namespace o4o::services::forum::repo {

// What the service needs to decide on a write, read with a row lock on PostgreSQL.
struct PostState {
  std::string author_id;
  std::string title;
  std::string content;
  std::string category;
  bool pinned = false;
  bool locked = false;
};

struct CommentState {
  std::string author_id;
};

// --- posts ---
// viewer_id: the reader's id for likedByMe, empty for anonymous readers.
std::optional<Post> find_post(db::Connection& c, const std::string& id,
                              const std::string& viewer_id);
std::optional<PostState> lock_post(db::Connection& c, const std::string& id);
void insert_post(db::Connection& c, const std::string& id, const std::string& author_id,
                 const NewPost& post, int64_t now);
void update_post(db::Connection& c, const std::string& id, const PostState& state, int64_t now);
void delete_post(db::Connection& c, const std::string& id);
std::optional<std::string> find_post_by_author_title(db::Connection& c,
                                                     const std::string& author_id,
                                                     const std::string& title);

// --- lists (list_sql.cpp) ---
core::PageOf<Post> list_posts(db::Database& db, const PostFilter& filter, const core::Page& page,
                              const std::string& viewer_id);
std::vector<Category> list_categories(db::Connection& c);
// One category by slug, with its post count (0 when it has none) and names.
Category find_category(db::Connection& c, std::string_view slug);
// Replaces both names; with neither, the category goes back to showing its slug.
void set_category_names(db::Connection& c, std::string_view slug, const CategoryNames& names,
                        int64_t now_ms);
// --- search on PostgreSQL (search_postgres.cpp) ---
core::PageOf<Post> search_posts_postgres(db::Database& db, const PostFilter& filter,
                                         const core::Page& page, const std::string& viewer_id);

// --- double-submit guard ---
// Records post_id as the post for (author, hash) unless one was recorded at or after cutoff.
// True when this call claimed the slot (the caller creates the post).
bool claim_submission(db::Connection& c, const std::string& author_id, const std::string& hash,
                      const std::string& post_id, int64_t now, int64_t cutoff);
std::optional<std::string> submission_post(db::Connection& c, const std::string& author_id,
                                           const std::string& hash);
void replace_submission(db::Connection& c, const std::string& author_id, const std::string& hash,
                        const std::string& post_id, int64_t now);

// --- comments ---
// Oldest first; one page of them.
std::vector<Comment> list_comments(db::Connection& c, const std::string& post_id, int64_t limit,
                                   int64_t offset);
std::optional<Comment> find_comment(db::Connection& c, const std::string& post_id,
                                    const std::string& comment_id);
std::optional<CommentState> lock_comment(db::Connection& c, const std::string& post_id,
                                         const std::string& comment_id);
void insert_comment(db::Connection& c, const std::string& id, const std::string& post_id,
                    const std::string& author_id, const std::string& content, int64_t now);
void update_comment(db::Connection& c, const std::string& id, const std::string& content,
                    int64_t now);
// True when a row was deleted.
bool delete_comment(db::Connection& c, const std::string& post_id, const std::string& comment_id);
void add_comment_count(db::Connection& c, const std::string& post_id, int64_t delta);

// --- likes ---
// True when the like row was created (false: it existed).
bool insert_like(db::Connection& c, const std::string& post_id, const std::string& user_id,
                 int64_t now);
// True when a like row was removed.
// Whether the user likes the post (likedByMe, filled per reader).
bool liked_by(db::Connection& c, const std::string& post_id, const std::string& user_id);
bool delete_like(db::Connection& c, const std::string& post_id, const std::string& user_id);
void add_like_count(db::Connection& c, const std::string& post_id, int64_t delta);

// Reads a post row selected with the columns of kPostColumns (shared with list_sql.cpp).
Post post_from_row(const db::Row& row);

}  // namespace o4o::services::forum::repo
