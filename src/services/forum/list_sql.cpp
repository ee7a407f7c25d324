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
// Its weights are {D, C, B, A}: content words are D and title words A (migration 401), so a title
// occurrence counts double, as in SQLite.
constexpr std::string_view kTsHitsHead =
    "SELECT s.seq AS hit, ts_rank('{0.5, 0, 0, 1}', s.search, to_tsquery('simple', ";
constexpr std::string_view kTsHitsScoreEnd = ")) AS score ";
constexpr std::string_view kTsFrom = "FROM forum_post_search s ";
constexpr std::string_view kTsJoinPosts = "JOIN forum_posts p ON p.seq = s.seq ";
constexpr std::string_view kTsMatch = "s.search @@ to_tsquery('simple', ";
constexpr std::string_view kTsOrder = "ORDER BY score DESC, hit DESC ";
constexpr std::string_view kTsPageOrder = "ORDER BY r.score DESC, p.seq DESC";
// One statement for the page and the total: the hits ranked in an inner query (OFFSET 0 keeps the
// rank there, so the window buffers (seq, score) pairs, not tsvectors) and counted by a window.
constexpr std::string_view kTsCountedHead = "SELECT hit, score, COUNT(*) OVER () AS total FROM (";
constexpr std::string_view kTsCountedTail = "OFFSET 0) m ";
constexpr std::string_view kTotalColumn = ", r.total ";
constexpr std::size_t kTotalIndex = 13;  // after the 13 post columns

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

// The count of all matches and the page.
struct Statements {
  std::string count_sql;
  Statement count;
  std::string page_sql;
  Statement page;  // $1 is the reader, for likedByMe
  // PostgreSQL search: the page with the total on every row, in one statement.
  std::string counted_page_sql;
  Statement counted_page;
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

// The ranked hits of one page: SELECT hit, score FROM ... WHERE ... [ORDER BY ... LIMIT].
std::string ts_hits(const std::string& words, const PostFilter& filter, Statement& st) {
  const std::string q = st.bind(words);
  return std::string(kTsHitsHead) + q + std::string(kTsHitsScoreEnd) + ts_from_where(q, filter, st);
}

void postgres_search_statements(const PostFilter& filter, const core::Page& page, Statements& s) {
  const std::string words = tsquery_prefix_query(filter.search_words);
  s.count_sql = std::string(kCount) + ts_from_where(s.count.bind(words), filter, s.count);
  const std::string hits =
      ts_hits(words, filter, s.page) + std::string(kTsOrder) + limit_offset(page, s.page);
  s.page_sql = std::string(kPostColumns) + "FROM (" + hits + std::string(kHitsJoin) +
               std::string(kPostJoinAuthor) + std::string(kTsPageOrder);

  s.counted_page.bind(s.page.params().front());
  const std::string counted = std::string(kTsCountedHead) + ts_hits(words, filter, s.counted_page) +
                              std::string(kTsCountedTail) + std::string(kTsOrder) +
                              limit_offset(page, s.counted_page);
  s.counted_page_sql = std::string(kPostColumns) + std::string(kTotalColumn) + "FROM (" + counted +
                       std::string(kHitsJoin) + std::string(kPostJoinAuthor) +
                       std::string(kTsPageOrder);
}

PostList from_rows(int64_t total, const std::vector<db::Row>& rows) {
  PostList out;
  out.total = total;
  for (const auto& row : rows) out.items.push_back(post_from_row(row));
  return out;
}

// Count and page in turn; no page when it would be past the end.
PostList count_then_page(db::Connection& c, const Statements& s, const core::Page& page) {
  const int64_t total = c.query(s.count_sql, s.count.params()).rows.at(0).i64(0);
  if (total == 0 || page.offset() >= total) return from_rows(total, {});
  return from_rows(total, c.query(s.page_sql, s.page.params()).rows);
}

// PostgreSQL search. Counting and ranking each scan every match, so they run at once on two
// connections when the pool is idle (the answer then waits for the longer, not for both), and
// otherwise as one statement, which costs what one scan does.
PostList postgres_search(db::Database& db, const Statements& s, const core::Page& page) {
  const db::Query split[] = {{s.count_sql, s.count.params()}, {s.page_sql, s.page.params()}};
  if (auto both = db.read_at_once(split)) {
    return from_rows((*both)[0].rows.at(0).i64(0), (*both)[1].rows);
  }
  return db.read([&](db::Connection& c) {
    auto rows = c.query(s.counted_page_sql, s.counted_page.params()).rows;
    // A page past the end has no rows to carry the total: count on its own then.
    if (rows.empty()) return page.offset() == 0 ? PostList{} : count_then_page(c, s, page);
    const int64_t total = rows.front().i64(kTotalIndex);
    return from_rows(total, rows);
  });
}

}  // namespace

PostList list_posts(db::Database& db, const PostFilter& filter, const core::Page& page,
                    const std::string& viewer_id) {
  if (filter.has_search && filter.search_words.empty()) return {};  // nothing to look for

  Statements s;
  s.page.bind(viewer_id);
  if (filter.has_search && db.dialect() == db::Dialect::postgres) {
    postgres_search_statements(filter, page, s);
    return postgres_search(db, s, page);
  }
  if (filter.has_search) {
    sqlite_search_statements(filter, page, s);
  } else {
    plain_statements(filter, page, s);
  }
  return db.read([&](db::Connection& c) { return count_then_page(c, s, page); });
}

std::vector<Category> list_categories(db::Connection& c) {
  std::vector<Category> out;
  for (const auto& row : c.query(kListCategories).rows) {
    out.push_back(Category{row.str(0), row.i64(1)});
  }
  return out;
}

}  // namespace o4o::services::forum::repo
