#pragma once
// SQL fragments shared by the single-post and list statements: the post columns (with the
// reader's id as $1 for likedByMe) and the join that names the author.
#include <cstddef>
#include <string_view>

namespace o4o::services::forum::repo {

inline constexpr std::string_view kPostColumns =
    "SELECT p.id, p.title, p.content, p.category, p.author_id, u.name, p.comment_count, "
    "p.like_count, EXISTS (SELECT 1 FROM forum_likes l WHERE l.post_id = p.id AND l.user_id = $1) "
    "AS liked, p.pinned, p.locked, p.created_at, p.updated_at ";
// How many columns kPostColumns selects: a column a statement adds after them has this index.
inline constexpr std::size_t kPostColumnCount = 13;

inline constexpr std::string_view kPostJoinAuthor = "JOIN users u ON u.id = p.author_id ";

}  // namespace o4o::services::forum::repo
