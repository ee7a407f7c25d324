// The list statements of GET /posts and GET /categories. The list is composed from named
// fragments because its filters are optional and search differs per dialect (FTS5 vs tsvector).
// Searches rank the matches in a subquery that reads only the index (SQLite) or the narrow search
// table (PostgreSQL), and join posts and authors for the one page that is returned.
#include <string>
#include <vector>

#include "services/forum/post_sql.hpp"
#include "services/forum/repository.hpp"
#include "services/forum/text_rules.hpp"

namespace o4o::services::forum::repo {
namespace {

constexpr std::string_view kCount = "SELECT COUNT(*) ";
constexpr std::string_view kFromPosts = "FROM forum_posts p ";
constexpr std::string_view kAuthorIs = "p.author_id = ";
constexpr std::string_view kCategoryIs = "p.category = ";
constexpr std::string_view kOrderNewest = "ORDER BY p.pinned DESC, p.created_at DESC, p.seq DESC ";

// SQLite: FTS5 hits; o4o_rank (db/sqlite_fts_rank.hpp) is higher for better matches, and the
// title weighs double.
constexpr std::string_view kFtsHits =
    "SELECT rowid AS hit, o4o_rank(forum_posts_fts, 2.0, 1.0) AS score FROM forum_posts_fts ";
constexpr std::string_view kFtsFrom = "FROM forum_posts_fts ";
constexpr std::string_view kFtsMatch = "WHERE forum_posts_fts MATCH ";
constexpr std::string_view kFtsInFiltered = "AND rowid IN (SELECT p.seq FROM forum_posts p ";
constexpr std::string_view kFtsOrder = "ORDER BY score DESC, hit DESC ";
constexpr std::string_view kFtsPageOrder = "ORDER BY r.score DESC, p.seq DESC";

// PostgreSQL: tsvector hits from the narrow search table; ts_rank is higher for better matches.
constexpr std::string_view kTsHitsHead =
    "SELECT s.seq AS hit, ts_rank(s.search, to_tsquery('simple', ";
constexpr std::string_view kTsHitsScoreEnd = ")) AS score ";
constexpr std::string_view kTsFrom = "FROM forum_post_search s ";
constexpr std::string_view kTsJoinPosts = "JOIN forum_posts p ON p.seq = s.seq ";
constexpr std::string_view kTsMatch = "s.search @@ to_tsquery('simple', ";
constexpr std::string_view kTsOrder = "ORDER BY score DESC, hit DESC ";
constexpr std::string_view kTsPageOrder = "ORDER BY r.score DESC, p.seq DESC";

// Relevance ties break newest first by creation order (seq); no boost for pinned posts.
constexpr std::string_view kHitsJoin = ") r JOIN forum_posts p ON p.seq = r.hit ";

constexpr std::string_view kListCategories =
    "SELECT category, COUNT(*) FROM forum_posts GROUP BY category ORDER BY category";

// A statement under construction: its parameters, numbered as they are bound.
class Statement {
 public:
  // Adds a parameter and returns its placeholder.
  std::string bind(db::Param param) {
    params_.push_back(std::move(param));
    std::string placeholder = "$";
    placeholder.append(std::to_string(params_.size()));
    return placeholder;
  }
  const std::vector<db::Param>& params() const { return params_; }

 private:
  std::vector<db::Param> params_;
};

std::string join_conditions(const std::vector<std::string>& conditions, std::string_view first) {
  std::string out;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    out.append(i == 0 ? first : "AND ").append(conditions[i]).append(" ");
  }
  return out;
}

// The ?authorId= and ?category= conditions on posts p.
std::vector<std::string> filter_conditions(const PostFilter& filter, Statement& st) {
  std::vector<std::string> out;
  if (filter.author_id) out.push_back(std::string(kAuthorIs) + st.bind(*filter.author_id));
  if (filter.category) out.push_back(std::string(kCategoryIs) + st.bind(*filter.category));
  return out;
}

std::string limit_offset(const core::Page& page, Statement& st) {
  std::string out = "LIMIT ";
  out.append(st.bind(page.limit)).append(" OFFSET ").append(st.bind(page.offset())).append(" ");
  return out;
}

// FROM forum_posts_fts WHERE MATCH ... [AND rowid IN (filtered posts)]
std::string fts_where(const PostFilter& filter, Statement& st) {
  std::string out = std::string(kFtsMatch) + st.bind(fts5_prefix_query(filter.search_words)) + " ";
  const auto conditions = filter_conditions(filter, st);
  if (!conditions.empty()) {
    out.append(kFtsInFiltered).append(join_conditions(conditions, "WHERE ")).append(") ");
  }
  return out;
}

// FROM forum_post_search s [JOIN posts p] WHERE s.search @@ ... [AND filters], with the query
// bound once as q. Posts are joined only when a filter needs their columns.
std::string ts_from_where(const std::string& q, const PostFilter& filter, Statement& st) {
  auto conditions = filter_conditions(filter, st);
  std::string out(kTsFrom);
  if (!conditions.empty()) out.append(kTsJoinPosts);
  conditions.insert(conditions.begin(), std::string(kTsMatch) + q + ")");
  return out + join_conditions(conditions, "WHERE ");
}

// The count of all matches and the page: independent, so that PostgreSQL can run them at once
// (db::Database::read_all). Both scan every match; a single statement with COUNT(*) OVER ()
// took as long as the two in turn, since the window buffers every match before the first row.
struct Statements {
  std::string count_sql;
  Statement count;
  std::string page_sql;
  Statement page;  // $1 is the reader, for likedByMe
};

void plain_statements(const PostFilter& filter, const core::Page& page, Statements& s) {
  s.count_sql = std::string(kCount) + std::string(kFromPosts) +
                join_conditions(filter_conditions(filter, s.count), "WHERE ");
  const std::string where = join_conditions(filter_conditions(filter, s.page), "WHERE ");
  s.page_sql = std::string(kPostColumns) + std::string(kFromPosts) + std::string(kPostJoinAuthor) +
               where + std::string(kOrderNewest) + limit_offset(page, s.page);
}

void sqlite_search_statements(const PostFilter& filter, const core::Page& page, Statements& s) {
  s.count_sql = std::string(kCount) + std::string(kFtsFrom) + fts_where(filter, s.count);
  const std::string hits = std::string(kFtsHits) + fts_where(filter, s.page) +
                           std::string(kFtsOrder) + limit_offset(page, s.page);
  s.page_sql = std::string(kPostColumns) + "FROM (" + hits + std::string(kHitsJoin) +
               std::string(kPostJoinAuthor) + std::string(kFtsPageOrder);
}

void postgres_search_statements(const PostFilter& filter, const core::Page& page, Statements& s) {
  const std::string words = tsquery_prefix_query(filter.search_words);
  const std::string count_q = s.count.bind(words);
  s.count_sql = std::string(kCount) + ts_from_where(count_q, filter, s.count);
  const std::string q = s.page.bind(words);
  const std::string hits = std::string(kTsHitsHead) + q + std::string(kTsHitsScoreEnd) +
                           ts_from_where(q, filter, s.page) + std::string(kTsOrder) +
                           limit_offset(page, s.page);
  s.page_sql = std::string(kPostColumns) + "FROM (" + hits + std::string(kHitsJoin) +
               std::string(kPostJoinAuthor) + std::string(kTsPageOrder);
}

}  // namespace

PostList list_posts(db::Database& db, const PostFilter& filter, const core::Page& page,
                    const std::string& viewer_id) {
  PostList out;
  if (filter.has_search && filter.search_words.empty()) return out;  // nothing to look for

  Statements s;
  s.page.bind(viewer_id);
  if (!filter.has_search) {
    plain_statements(filter, page, s);
  } else if (db.dialect() == db::Dialect::postgres) {
    postgres_search_statements(filter, page, s);
  } else {
    sqlite_search_statements(filter, page, s);
  }
  const db::Query queries[] = {{std::move(s.count_sql), s.count.params()},
                               {std::move(s.page_sql), s.page.params()}};
  const auto results = db.read_all(queries);
  out.total = results[0].rows.at(0).i64(0);
  for (const auto& row : results[1].rows) out.items.push_back(post_from_row(row));
  return out;
}

std::vector<Category> list_categories(db::Connection& c) {
  std::vector<Category> out;
  for (const auto& row : c.query(kListCategories).rows) {
    out.push_back(Category{row.str(0), row.i64(1)});
  }
  return out;
}

}  // namespace o4o::services::forum::repo
