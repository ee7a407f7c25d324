#pragma once
// Forum domain values passed between routes, service and repository. No HTTP or SQL types here.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pagination.hpp"

namespace o4o::services::forum {

inline constexpr const char* kDefaultCategory = "general";
inline constexpr std::size_t kTitleMax = 200;
inline constexpr std::size_t kContentMax = 50000;
inline constexpr std::size_t kCommentMax = 10000;
inline constexpr std::size_t kCategoryMax = 40;
inline constexpr std::size_t kCategoryNameMax = 60;  // a display name, in characters
// A second identical post by the same author within this window returns the first one.
inline constexpr int64_t kDoubleSubmitWindowMs = 10'000;

struct Post {
  std::string id;
  std::string title;
  std::string content;
  std::string category;
  std::string author_id;
  std::string author_name;
  int64_t comment_count = 0;
  int64_t like_count = 0;
  bool liked_by_me = false;
  bool pinned = false;
  bool locked = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Comment {
  std::string id;
  std::string post_id;
  std::string author_id;
  std::string author_name;
  std::string content;
  int64_t created_at = 0;
  int64_t updated_at = 0;  // last edit (created_at when never edited)
};

// A category's display names; nullopt: none in that language (readers see the slug).
struct CategoryNames {
  std::optional<std::string> ko;
  std::optional<std::string> en;
};

struct PostWithComments {
  Post post;
  std::vector<Comment> comments;
};

struct Category {
  std::string name;  // the slug
  int64_t count = 0;
  CategoryNames names;
};

struct NewPost {
  std::string title;
  std::string content;
  std::string category = kDefaultCategory;
};

// A partial update: only the fields that are set change.
struct PostPatch {
  std::optional<std::string> title;
  std::optional<std::string> content;
  std::optional<std::string> category;
  std::optional<bool> pinned;
  std::optional<bool> locked;
  bool touches_moderation() const { return pinned.has_value() || locked.has_value(); }
};

// Filters of GET /posts. search_words empty with has_search true means the query had no words.
struct PostFilter {
  std::optional<std::string> author_id;
  std::optional<std::string> category;
  bool has_search = false;
  std::vector<std::string> search_words;
};

}  // namespace o4o::services::forum
