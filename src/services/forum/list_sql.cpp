// The list statements of GET /posts and GET /categories. The list is composed from named
// fragments because its filters are optional and search differs per dialect (FTS5 vs tsvector).
// SQLite searches rank the matches in a subquery that reads only the FTS5 index, filters
// included, and join posts and authors for the one page that is returned. PostgreSQL search is in
// search_postgres.cpp.
#include <string>
#include <vector>

#include "services/forum/list_sql_parts.hpp"
#include "services/forum/post_sql.hpp"
#include "services/forum/repository.hpp"
#include "services/forum/text_rules.hpp"

namespace o4o::services::forum::repo {
namespace {

constexpr std::string_view kFromPosts = "FROM forum_posts p ";
constexpr std::string_view kOrderNewest = "ORDER BY p.pinned DESC, p.created_at DESC, p.seq DESC ";

// SQLite: FTS5 hits; o4o_rank (db/sqlite_fts_rank.hpp) is higher for better matches, the title
// weighs double and the facets (the filters' tokens, migration 404) nothing.
constexpr std::string_view kFtsHits =
    "SELECT rowid AS hit, o4o_rank(forum_posts_fts, 2.0, 1.0, 0.0) AS score FROM forum_posts_fts ";
constexpr std::string_view kFtsFrom = "FROM forum_posts_fts ";
constexpr std::string_view kFtsMatch = "WHERE forum_posts_fts MATCH ";
constexpr std::string_view kFtsOrder = "ORDER BY score DESC, hit DESC ";
// A broad search of many words (ranks_newest_only): its newest matches ranked, then the older ones
// unranked (score 0; a match always scores above 0), newest first. FTS5 reads a MATCH in
// descending rowid order and stops at the LIMIT.
constexpr std::string_view kFtsNewestHits =
    "SELECT hit, score FROM (SELECT rowid AS hit, o4o_rank(forum_posts_fts, 2.0, 1.0, 0.0) AS score "
    "FROM forum_posts_fts ";
constexpr std::string_view kFtsOlderHits =
    "UNION ALL SELECT hit, score FROM (SELECT rowid AS hit, 0.0 AS score FROM forum_posts_fts ";
constexpr std::string_view kFtsNewestFirst = "ORDER BY rowid DESC ";
constexpr std::string_view kFtsPageOrder = "ORDER BY r.score DESC, p.seq DESC";

// Posts per category are kept by triggers (migration 402): totals without ?authorId= and the
// category list read them instead of counting posts.
constexpr std::string_view kListCategories =
    "SELECT c.category, c.posts, n.name_ko, n.name_en FROM forum_category_counts c "
    "LEFT JOIN forum_category_names n ON n.category = c.category "
    "WHERE c.posts > 0 ORDER BY c.category";
// One category, posts or not (an admin may name it before its first post).
constexpr std::string_view kFindCategory =
    "SELECT CAST($1 AS TEXT), "
    "COALESCE((SELECT posts FROM forum_category_counts WHERE category = CAST($1 AS TEXT)), 0), "
    "n.name_ko, n.name_en FROM (SELECT 1) AS one "
    "LEFT JOIN forum_category_names n ON n.category = CAST($1 AS TEXT)";
constexpr std::string_view kSetCategoryNames =
    "INSERT INTO forum_category_names (category, name_ko, name_en, updated_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (category) DO UPDATE SET name_ko = excluded.name_ko, "
    "name_en = excluded.name_en, updated_at = excluded.updated_at";
constexpr std::string_view kDeleteCategoryNames =
    "DELETE FROM forum_category_names WHERE category = $1";

Category category_from_row(const db::Row& row) {
  return Category{row.str(0), row.i64(1), CategoryNames{row.opt_str(2), row.opt_str(3)}};
}
constexpr std::string_view kCountAll = "SELECT COALESCE(SUM(posts), 0) FROM forum_category_counts ";
constexpr std::string_view kCountCategory =
    "SELECT COALESCE(SUM(posts), 0) FROM forum_category_counts WHERE category = ";

// WHERE forum_posts_fts MATCH $n: the words and the filters in one FTS5 expression, so that the
// index intersects them (a filter tested on the posts row of every match cost a read of each).
std::string fts_where(const PostFilter& filter, db::Statement& st) {
  return std::string(kFtsMatch) +
         st.bind(fts5_search_query(filter.search_words, filter.category, filter.author_id)) + " ";
}

// The count of all matches and the page.
struct Statements {
  std::string count_sql;
  db::Statement count;
  std::string page_sql;
  db::Statement page;  // $1 is the reader, for likedByMe
};

void plain_statements(const PostFilter& filter, const core::Page& page, Statements& s) {
  if (filter.author_id) {
    s.count_sql = std::string(kCount) + std::string(kFromPosts) +
                  join_conditions(filter_conditions(filter, s.count), "WHERE ");
  } else if (filter.category) {
    s.count_sql = std::string(kCountCategory) + s.count.bind(*filter.category);
  } else {
    s.count_sql = std::string(kCountAll);
  }
  const std::string where = join_conditions(filter_conditions(filter, s.page), "WHERE ");
  s.page_sql = std::string(kPostColumns) + std::string(kFromPosts) + std::string(kPostJoinAuthor) +
               where + std::string(kOrderNewest) + s.page.limit_offset(page.limit, page.offset());
}

// The page's hits, best first: all matches ranked, or (ranks_newest_only) the newest ranked and
// the older ones after them.
std::string sqlite_hits(const PostFilter& filter, const core::Page& page, int64_t total,
                        db::Statement& st) {
  if (!ranks_newest_only(filter, total)) {
    return std::string(kFtsHits) + fts_where(filter, st) + std::string(kFtsOrder) +
           st.limit_offset(page.limit, page.offset());
  }
  std::string out = std::string(kFtsNewestHits) + fts_where(filter, st) +
                    std::string(kFtsNewestFirst) + "LIMIT " + st.bind(kMaxRankedMatches) + ") ";
  if (page.offset() + page.limit > kMaxRankedMatches) {  // the page reaches past the ranked ones
    out += std::string(kFtsOlderHits) + fts_where(filter, st) + std::string(kFtsNewestFirst) +
           "LIMIT -1 OFFSET " + st.bind(kMaxRankedMatches) + ") ";
  }
  return out + std::string(kFtsOrder) + st.limit_offset(page.limit, page.offset());
}

// Counts the matches (FTS5 reads only its lists), then ranks for the page and joins its posts.
core::PageOf<Post> sqlite_search(db::Database& db, const PostFilter& filter,
                                 const core::Page& page, const std::string& viewer_id) {
  return db.read([&](db::Connection& c) {
    db::Statement count;
    const std::string count_sql =
        std::string(kCount) + std::string(kFtsFrom) + fts_where(filter, count);
    const int64_t total = c.query(count_sql, count.params()).rows.at(0).i64(0);
    if (total == 0 || page.offset() >= total) return post_list(total, {});
    db::Statement st;
    st.bind(viewer_id);  // $1, for likedByMe
    const std::string sql = std::string(kPostColumns) + "FROM (" +
                            sqlite_hits(filter, page, total, st) + std::string(kHitsJoin) +
                            std::string(kPostJoinAuthor) + std::string(kFtsPageOrder);
    return post_list(total, c.query(sql, st.params()).rows);
  });
}

// Count and page in turn; no page when it would be past the end.
core::PageOf<Post> count_then_page(db::Connection& c, const Statements& s, const core::Page& page) {
  const int64_t total = c.query(s.count_sql, s.count.params()).rows.at(0).i64(0);
  if (total == 0 || page.offset() >= total) return post_list(total, {});
  return post_list(total, c.query(s.page_sql, s.page.params()).rows);
}

}  // namespace

core::PageOf<Post> list_posts(db::Database& db, const PostFilter& filter, const core::Page& page,
                              const std::string& viewer_id) {
  if (filter.has_search && filter.search_words.empty()) return {};  // nothing to look for

  if (filter.has_search) {
    return db.dialect() == db::Dialect::postgres
               ? search_posts_postgres(db, filter, page, viewer_id)
               : sqlite_search(db, filter, page, viewer_id);
  }
  Statements s;
  s.page.bind(viewer_id);
  plain_statements(filter, page, s);
  return db.read([&](db::Connection& c) { return count_then_page(c, s, page); });
}

std::vector<Category> list_categories(db::Connection& c) {
  std::vector<Category> out;
  for (const auto& row : c.query(kListCategories).rows) out.push_back(category_from_row(row));
  return out;
}

Category find_category(db::Connection& c, std::string_view slug) {
  return category_from_row(*c.query_one(kFindCategory, {slug}));
}

void set_category_names(db::Connection& c, std::string_view slug, const CategoryNames& names,
                        int64_t now_ms) {
  if (!names.ko && !names.en) {
    c.exec(kDeleteCategoryNames, {slug});
  } else {
    c.exec(kSetCategoryNames, {slug, names.ko, names.en, now_ms});
  }
}

}  // namespace o4o::services::forum::repo
