#include "services/forum/json.hpp"

#include "core/time_format.hpp"

namespace o4o::services::forum {

boost::json::object post_json(const Post& post) {
  return {
      {"id", post.id},
      {"title", post.title},
      {"content", post.content},
      {"category", post.category},
      {"authorId", post.author_id},
      {"authorName", post.author_name},
      {"commentCount", post.comment_count},
      {"likeCount", post.like_count},
      {"likedByMe", post.liked_by_me},
      {"pinned", post.pinned},
      {"locked", post.locked},
      {"createdAt", core::format_timestamp(post.created_at)},
      {"updatedAt", core::format_timestamp(post.updated_at)},
  };
}

boost::json::object comment_json(const Comment& comment) {
  return {
      {"id", comment.id},
      {"postId", comment.post_id},
      {"authorId", comment.author_id},
      {"authorName", comment.author_name},
      {"content", comment.content},
      {"createdAt", core::format_timestamp(comment.created_at)},
      {"updatedAt", core::format_timestamp(comment.updated_at)},
  };
}

boost::json::object post_detail_json(const PostWithComments& detail) {
  auto out = post_json(detail.post);
  boost::json::array comments;
  comments.reserve(detail.comments.size());
  for (const auto& comment : detail.comments) comments.push_back(comment_json(comment));
  out["comments"] = std::move(comments);
  return out;
}

namespace {
boost::json::value optional_string(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}
}  // namespace

boost::json::object category_json(const Category& category) {
  return {
      {"name", category.name},
      {"count", category.count},
      {"names", boost::json::object{{"ko", optional_string(category.names.ko)},
                                    {"en", optional_string(category.names.en)}}},
  };
}

boost::json::array categories_json(const std::vector<Category>& categories) {
  boost::json::array out;
  out.reserve(categories.size());
  for (const auto& category : categories) out.push_back(category_json(category));
  return out;
}

}  // namespace o4o::services::forum
