#pragma once
// Pieces shared by the composed list statements (list_sql.cpp) and PostgreSQL search
// (search_postgres.cpp): the optional filters and the list of posts a query returns.
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "db/statement.hpp"
#include "services/forum/model.hpp"
#include "services/forum/repository.hpp"

namespace o4o::services::forum::repo {

inline constexpr std::string_view kCount = "SELECT COUNT(*) ";
// Relevance ties break newest first by creation order (seq); no boost for pinned posts.
inline constexpr std::string_view kHitsJoin = ") r JOIN forum_posts p ON p.seq = r.hit ";

// The work of ranking grows with the matches times the words (PostgreSQL's ts_rank with the
// square of the words). A search of kCappedWords or more words that matches more than
// kMaxRankedMatches posts (ten one-letter words match half the posts) ranks only its newest
// kMaxRankedMatches matches, best first; the older matches follow them, newest first. Every other
// search ranks all its matches, and the total always counts them all.
inline constexpr std::size_t kCappedWords = 3;
inline constexpr int64_t kMaxRankedMatches = 5000;

inline bool ranks_newest_only(const PostFilter& filter, int64_t total) {
  return filter.search_words.size() >= kCappedWords && total > kMaxRankedMatches;
}

inline std::string join_conditions(const std::vector<std::string>& conditions,
                                   std::string_view first) {
  std::string out;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    out.append(i == 0 ? first : "AND ").append(conditions[i]).append(" ");
  }
  return out;
}

// The ?authorId= and ?category= conditions on posts p.
inline std::vector<std::string> filter_conditions(const PostFilter& filter, db::Statement& st) {
  std::vector<std::string> out;
  if (filter.author_id) out.push_back("p.author_id = " + st.bind(*filter.author_id));
  if (filter.category) out.push_back("p.category = " + st.bind(*filter.category));
  return out;
}

inline core::PageOf<Post> post_list(int64_t total, const std::vector<db::Row>& rows) {
  core::PageOf<Post> out;
  out.total = total;
  for (const auto& row : rows) out.items.push_back(post_from_row(row));
  return out;
}

}  // namespace o4o::services::forum::repo
