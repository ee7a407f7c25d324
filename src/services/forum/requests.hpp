#pragma once
// HTTP request → forum values: body and query validation (400 VALIDATION_ERROR with details).
#include <string>

#include "core/http.hpp"
#include "services/forum/model.hpp"

namespace o4o::services::forum {

NewPost parse_new_post(const core::Request& req);
PostPatch parse_post_patch(const core::Request& req);
// {content}: the text of a comment.
std::string parse_comment_content(const core::Request& req);
// PUT /categories/:slug: the slug (400 unless a valid one) and {names: {ko?, en?}}.
std::string parse_category_slug(const core::Request& req);
CategoryNames parse_category_names(const core::Request& req);
// ?authorId=, ?category=, ?q= of GET /posts.
PostFilter parse_post_filter(const core::Request& req);

}  // namespace o4o::services::forum
