// The list statements of GET /posts and GET /categories. The list is composed from named
// fragments because its filters are optional and search differs per dialect (FTS5 vs tsvector).
#include <string>
#include <vector>

#include "services/forum/post_sql.hpp"
#include "services/forum/repository.hpp"
#include "services/forum/text_rules.hpp"

namespace o4o::services::forum::repo {
namespace {

constexpr std::string_view kFromPosts = "FROM forum_posts p ";
constexpr std::string_view kFromFtsSqlite =
    "FROM forum_posts_fts JOIN forum_posts p ON p.seq = forum_posts_fts.rowid ";
constexpr std::string_view kMatchSqlite = "forum_posts_fts MATCH ";
constexpr std::string_view kMatchPostgres = "p.search @@ to_tsquery('simple', ";
constexpr std::string_view kAuthorIs = "p.author_id = ";
constexpr std::string_view kCategoryIs = "p.category = ";
constexpr std::string_view kOrderNewest = "ORDER BY p.pinned DESC, p.created_at DESC, p.seq DESC ";
// Relevance first (bm25 is lower for better matches; ts_rank higher), then newest; no pin boost.
constexpr std::string_view kOrderRankSqlite =
    "ORDER BY bm25(forum_posts_fts, 2.0, 1.0), p.created_at DESC, p.seq DESC ";
constexpr std::string_view kOrderRankPostgresHead =
    "ORDER BY ts_rank(p.search, to_tsquery('simple', ";
constexpr std::string_view kOrderRankPostgresTail = ")) DESC, p.created_at DESC, p.seq DESC ";
constexpr std::string_view kCountHead = "SELECT COUNT(*) ";

constexpr std::string_view kListCategories =
    "SELECT category, COUNT(*) FROM forum_posts GROUP BY category ORDER BY category";

// A statement under construction: SQL text plus the parameters its $n placeholders refer to.
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

struct Shape {
  std::string from;   // FROM ... JOIN ...
  std::string where;  // "" or "WHERE ... "
  std::string order;  // ORDER BY ...
};

Shape shape_of(db::Connection& c, const PostFilter& filter, Statement& st) {
  const bool pg = c.dialect() == db::Dialect::postgres;
  const bool search = filter.has_search;
  Shape shape;
  std::vector<std::string> conditions;
  if (search && pg) {
    const std::string q = st.bind(tsquery_prefix_query(filter.search_words));
    shape.from = std::string(kFromPosts);
    conditions.push_back(std::string(kMatchPostgres) + q + ")");
    shape.order = std::string(kOrderRankPostgresHead) + q + std::string(kOrderRankPostgresTail);
  } else if (search) {
    const std::string q = st.bind(fts5_prefix_query(filter.search_words));
    shape.from = std::string(kFromFtsSqlite);
    conditions.push_back(std::string(kMatchSqlite) + q);
    shape.order = std::string(kOrderRankSqlite);
  } else {
    shape.from = std::string(kFromPosts);
    shape.order = std::string(kOrderNewest);
  }
  if (filter.author_id) conditions.push_back(std::string(kAuthorIs) + st.bind(*filter.author_id));
  if (filter.category) conditions.push_back(std::string(kCategoryIs) + st.bind(*filter.category));
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    shape.where.append(i == 0 ? "WHERE " : "AND ").append(conditions[i]).append(" ");
  }
  return shape;
}

}  // namespace

PostList list_posts(db::Connection& c, const PostFilter& filter, const core::Page& page,
                    const std::string& viewer_id) {
  PostList out;
  if (filter.has_search && filter.search_words.empty()) return out;  // nothing to look for

  Statement count;
  const Shape counted = shape_of(c, filter, count);
  const std::string count_sql = std::string(kCountHead) + counted.from + counted.where;
  out.total = c.query(count_sql, count.params()).rows.at(0).i64(0);
  if (out.total == 0) return out;

  Statement list;
  list.bind(viewer_id);  // $1: the reader, for likedByMe
  const Shape listed = shape_of(c, filter, list);
  const std::string limit = list.bind(page.limit);
  const std::string offset = list.bind(page.offset());
  const std::string list_sql = std::string(kPostColumns) + listed.from +
                               std::string(kPostJoinAuthor) + listed.where + listed.order +
                               "LIMIT " + limit + " OFFSET " + offset;
  for (const auto& row : c.query(list_sql, list.params()).rows) {
    out.items.push_back(post_from_row(row));
  }
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
