#include "services/forum/requests.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "services/forum/text_rules.hpp"

namespace o4o::services::forum {
namespace {

using core::Need;

constexpr std::size_t kQueryMax = 200;

// Title: trimmed, 1..200 characters, no NUL (PostgreSQL text cannot hold one).
std::optional<std::string> read_title(core::JsonBody& body, Need need) {
  auto title = body.string("title", need, 1, kTitleMax);
  if (title && title->find('\0') != std::string::npos) {
    body.fail("title", "must not contain NUL characters");
  }
  return title;
}

// Body text kept verbatim (not trimmed); white space alone counts as empty.
std::optional<std::string> read_text(core::JsonBody& body, Need need, std::size_t max_len) {
  auto text = body.string("content", need, 1, max_len, /*trim=*/false);
  if (!text) return text;
  if (is_blank(*text)) {
    body.fail("content", "must not be empty");
  } else if (text->find('\0') != std::string::npos) {
    body.fail("content", "must not contain NUL characters");
  }
  return text;
}

std::optional<std::string> read_category(core::JsonBody& body) {
  auto category = body.string("category", Need::optional, 1, kCategoryMax);
  if (category && !is_category_slug(*category)) {
    body.fail("category", "must be 1 to 40 of a-z, 0-9 and -");
  }
  return category;
}

}  // namespace

NewPost parse_new_post(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  auto title = read_title(body, Need::required);
  auto content = read_text(body, Need::required, kContentMax);
  auto category = read_category(body);
  body.finish();
  NewPost post{std::move(*title), std::move(*content)};
  if (category) post.category = std::move(*category);
  return post;
}

std::string parse_category_slug(const core::Request& req) {
  const auto slug = req.param("slug");
  if (!is_category_slug(slug)) throw core::err::validation("slug", "must be 1 to 40 of a-z, 0-9 and -");
  return std::string(slug);
}

// Each name is up to 60 characters after trimming; null, blank or absent means none in that
// language.
CategoryNames parse_category_names(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  CategoryNames names;
  const boost::json::value* given = body.get("names");
  if (given == nullptr || given->is_null()) {
    body.fail("names", "required: {ko?, en?}");
  } else if (!given->is_object()) {
    body.fail("names", "must be an object {ko?, en?}");
  } else {
    core::JsonBody inner = core::nested(*given, "names", body);
    for (auto [lang, out] : {std::pair{"ko", &names.ko}, std::pair{"en", &names.en}}) {
      *out = inner.string(lang, Need::optional, 0, kCategoryNameMax);
      if (*out && (*out)->empty()) out->reset();  // blank clears, like null
    }
  }
  body.finish();
  return names;
}

PostPatch parse_post_patch(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  PostPatch patch;
  patch.title = read_title(body, Need::optional);
  patch.content = read_text(body, Need::optional, kContentMax);
  patch.category = read_category(body);
  patch.pinned = body.boolean("pinned", Need::optional);
  patch.locked = body.boolean("locked", Need::optional);
  body.finish();
  return patch;
}

std::string parse_comment_content(const core::Request& req) {
  auto body = core::JsonBody::parse(req);
  auto content = read_text(body, Need::required, kCommentMax);
  body.finish();
  return std::move(*content);
}

PostFilter parse_post_filter(const core::Request& req) {
  PostFilter filter;
  if (auto author = req.query_param("authorId")) {
    if (!core::is_uuid(*author)) throw core::err::validation("authorId", "must be a user id");
    filter.author_id = std::string(*author);
  }
  if (auto category = req.query_param("category")) {
    if (!is_category_slug(*category)) {
      throw core::err::validation("category", "must be 1 to 40 of a-z, 0-9 and -");
    }
    filter.category = std::string(*category);
  }
  if (auto q = core::query_text(req, "q", kQueryMax); q && !q->empty()) {
    auto words = split_search_words(*q);
    if (!words) throw core::err::validation("q", "must be valid UTF-8 text");
    filter.has_search = true;
    filter.search_words = first_distinct_words(std::move(*words), kMaxSearchWords);
  }
  return filter;
}

}  // namespace o4o::services::forum
