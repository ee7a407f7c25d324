#include "services/forum/repository.hpp"

#include <string>

#include "services/forum/post_sql.hpp"

namespace o4o::services::forum::repo {
namespace {

const std::string kFindPost = std::string(kPostColumns) + "FROM forum_posts p " +
                              std::string(kPostJoinAuthor) + "WHERE p.id = $2";

constexpr std::string_view kLockPost =
    "SELECT author_id, title, content, category, pinned, locked FROM forum_posts WHERE id = $1";

constexpr std::string_view kInsertPost =
    "INSERT INTO forum_posts (id, author_id, title, content, category, pinned, locked, "
    "comment_count, like_count, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $6, 0, 0, $7, $7)";

constexpr std::string_view kUpdatePost =
    "UPDATE forum_posts SET title = $2, content = $3, category = $4, pinned = $5, locked = $6, "
    "updated_at = $7 WHERE id = $1";

constexpr std::string_view kDeletePostLikes = "DELETE FROM forum_likes WHERE post_id = $1";
constexpr std::string_view kDeletePostComments = "DELETE FROM forum_comments WHERE post_id = $1";
constexpr std::string_view kDeletePostSubmissions =
    "DELETE FROM forum_submissions WHERE post_id = $1";
constexpr std::string_view kDeletePost = "DELETE FROM forum_posts WHERE id = $1";

constexpr std::string_view kFindPostByAuthorTitle =
    "SELECT id FROM forum_posts WHERE author_id = $1 AND title = $2 ORDER BY seq LIMIT 1";

// Claims the slot when it is free or its post is older than the window; the conflict target's
// row lock makes a parallel duplicate wait for the first and then see its claim.
constexpr std::string_view kClaimSubmission =
    "INSERT INTO forum_submissions (author_id, submit_hash, post_id, created_at) "
    "VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (author_id, submit_hash) DO UPDATE SET post_id = excluded.post_id, "
    "created_at = excluded.created_at WHERE forum_submissions.created_at < $5 "
    "RETURNING post_id";

constexpr std::string_view kSubmissionPost =
    "SELECT post_id FROM forum_submissions WHERE author_id = $1 AND submit_hash = $2";

constexpr std::string_view kReplaceSubmission =
    "UPDATE forum_submissions SET post_id = $3, created_at = $4 "
    "WHERE author_id = $1 AND submit_hash = $2";

constexpr std::string_view kListComments =
    "SELECT c.id, c.post_id, c.author_id, u.name, c.content, c.created_at, c.updated_at "
    "FROM forum_comments c JOIN users u ON u.id = c.author_id "
    "WHERE c.post_id = $1 ORDER BY c.created_at, c.seq LIMIT $2 OFFSET $3";

constexpr std::string_view kFindComment =
    "SELECT c.id, c.post_id, c.author_id, u.name, c.content, c.created_at, c.updated_at "
    "FROM forum_comments c JOIN users u ON u.id = c.author_id "
    "WHERE c.id = $1 AND c.post_id = $2";

constexpr std::string_view kLockComment =
    "SELECT author_id FROM forum_comments WHERE id = $1 AND post_id = $2";

constexpr std::string_view kInsertComment =
    "INSERT INTO forum_comments (id, post_id, author_id, content, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $5)";

constexpr std::string_view kUpdateComment =
    "UPDATE forum_comments SET content = $2, updated_at = $3 WHERE id = $1";

constexpr std::string_view kDeleteComment =
    "DELETE FROM forum_comments WHERE id = $1 AND post_id = $2";

constexpr std::string_view kAddCommentCount =
    "UPDATE forum_posts SET comment_count = comment_count + $2 WHERE id = $1";

constexpr std::string_view kInsertLike =
    "INSERT INTO forum_likes (post_id, user_id, created_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (post_id, user_id) DO NOTHING";

constexpr std::string_view kLikedBy =
    "SELECT 1 FROM forum_likes WHERE post_id = $1 AND user_id = $2";
constexpr std::string_view kDeleteLike =
    "DELETE FROM forum_likes WHERE post_id = $1 AND user_id = $2";

constexpr std::string_view kAddLikeCount =
    "UPDATE forum_posts SET like_count = like_count + $2 WHERE id = $1";

std::string locked_select(db::Connection& c, std::string_view sql) {
  return std::string(sql) + std::string(c.for_update());
}

Comment comment_from_row(const db::Row& row) {
  return Comment{row.str(0), row.str(1), row.str(2), row.str(3), row.str(4), row.i64(5), row.i64(6)};
}

}  // namespace

Post post_from_row(const db::Row& row) {
  Post p;
  p.id = row.str(0);
  p.title = row.str(1);
  p.content = row.str(2);
  p.category = row.str(3);
  p.author_id = row.str(4);
  p.author_name = row.str(5);
  p.comment_count = row.i64(6);
  p.like_count = row.i64(7);
  p.liked_by_me = row.boolean(8);
  p.pinned = row.boolean(9);
  p.locked = row.boolean(10);
  p.created_at = row.i64(11);
  p.updated_at = row.i64(12);
  return p;
}

std::optional<Post> find_post(db::Connection& c, const std::string& id,
                              const std::string& viewer_id) {
  auto row = c.query_one(kFindPost, {viewer_id, id});
  if (!row) return std::nullopt;
  return post_from_row(*row);
}

std::optional<PostState> lock_post(db::Connection& c, const std::string& id) {
  auto row = c.query_one(locked_select(c, kLockPost), {id});
  if (!row) return std::nullopt;
  return PostState{row->str(0), row->str(1),     row->str(2),
                   row->str(3), row->boolean(4), row->boolean(5)};
}

void insert_post(db::Connection& c, const std::string& id, const std::string& author_id,
                 const NewPost& post, int64_t now) {
  c.exec(kInsertPost, {id, author_id, post.title, post.content, post.category, false, now});
}

void update_post(db::Connection& c, const std::string& id, const PostState& state, int64_t now) {
  c.exec(kUpdatePost,
         {id, state.title, state.content, state.category, state.pinned, state.locked, now});
}

void delete_post(db::Connection& c, const std::string& id) {
  c.exec(kDeletePostLikes, {id});
  c.exec(kDeletePostComments, {id});
  c.exec(kDeletePostSubmissions, {id});
  c.exec(kDeletePost, {id});
}

std::optional<std::string> find_post_by_author_title(db::Connection& c,
                                                     const std::string& author_id,
                                                     const std::string& title) {
  auto row = c.query_one(kFindPostByAuthorTitle, {author_id, title});
  if (!row) return std::nullopt;
  return row->str(0);
}

bool claim_submission(db::Connection& c, const std::string& author_id, const std::string& hash,
                      const std::string& post_id, int64_t now, int64_t cutoff) {
  return !c.query(kClaimSubmission, {author_id, hash, post_id, now, cutoff}).rows.empty();
}

std::optional<std::string> submission_post(db::Connection& c, const std::string& author_id,
                                           const std::string& hash) {
  auto row = c.query_one(kSubmissionPost, {author_id, hash});
  if (!row) return std::nullopt;
  return row->str(0);
}

void replace_submission(db::Connection& c, const std::string& author_id, const std::string& hash,
                        const std::string& post_id, int64_t now) {
  c.exec(kReplaceSubmission, {author_id, hash, post_id, now});
}

std::vector<Comment> list_comments(db::Connection& c, const std::string& post_id, int64_t limit,
                                   int64_t offset) {
  std::vector<Comment> out;
  for (const auto& row : c.query(kListComments, {post_id, limit, offset}).rows) {
    out.push_back(comment_from_row(row));
  }
  return out;
}

std::optional<Comment> find_comment(db::Connection& c, const std::string& post_id,
                                    const std::string& comment_id) {
  auto row = c.query_one(kFindComment, {comment_id, post_id});
  if (!row) return std::nullopt;
  return comment_from_row(*row);
}

std::optional<CommentState> lock_comment(db::Connection& c, const std::string& post_id,
                                         const std::string& comment_id) {
  auto row = c.query_one(locked_select(c, kLockComment), {comment_id, post_id});
  if (!row) return std::nullopt;
  return CommentState{row->str(0)};
}

void insert_comment(db::Connection& c, const std::string& id, const std::string& post_id,
                    const std::string& author_id, const std::string& content, int64_t now) {
  c.exec(kInsertComment, {id, post_id, author_id, content, now});
}

void update_comment(db::Connection& c, const std::string& id, const std::string& content,
                    int64_t now) {
  c.exec(kUpdateComment, {id, content, now});
}

bool delete_comment(db::Connection& c, const std::string& post_id, const std::string& comment_id) {
  return c.exec(kDeleteComment, {comment_id, post_id}) > 0;
}

void add_comment_count(db::Connection& c, const std::string& post_id, int64_t delta) {
  c.exec(kAddCommentCount, {post_id, delta});
}

bool insert_like(db::Connection& c, const std::string& post_id, const std::string& user_id,
                 int64_t now) {
  return c.exec(kInsertLike, {post_id, user_id, now}) > 0;
}

bool liked_by(db::Connection& c, const std::string& post_id, const std::string& user_id) {
  return c.query_one(kLikedBy, {post_id, user_id}).has_value();
}

bool delete_like(db::Connection& c, const std::string& post_id, const std::string& user_id) {
  return c.exec(kDeleteLike, {post_id, user_id}) > 0;
}

void add_like_count(db::Connection& c, const std::string& post_id, int64_t delta) {
  c.exec(kAddLikeCount, {post_id, delta});
}

}  // namespace o4o::services::forum::repo
