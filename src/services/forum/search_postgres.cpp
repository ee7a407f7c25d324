// Forum search on PostgreSQL: tsvector hits from the narrow search table (migration 401), ranked
// by ts_rank, newest first among equals. The contract's exact total and relevance order need every
// match counted and scored, about 1.5 µs a match, so a broad query is worth spreading: the search
// table has two hash partitions, and on an idle pool each is ranked and counted on a connection of
// its own and the two merged here, so the answer waits for half the work. On a busy pool one
// statement reads both partitions, which costs the same work on one core.
#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "services/forum/list_sql_parts.hpp"
#include "services/forum/post_sql.hpp"
#include "services/forum/text_rules.hpp"

namespace o4o::services::forum::repo {
namespace {

// Weights are {D, C, B, A}: content words are D and title words A (migration 401), so a title
// occurrence counts double, as in SQLite.
constexpr std::string_view kHitsHead =
    "SELECT s.seq AS hit, ts_rank('{0.5, 0, 0, 1}', s.search, to_tsquery('simple', ";
constexpr std::string_view kHitsScoreEnd = ")) AS score ";
constexpr std::string_view kSearchTable = "forum_post_search";
// The partitions of forum_post_search (migration 401).
constexpr std::string_view kPartitions[] = {"forum_post_search_0", "forum_post_search_1"};
// The rank is computed in an inner query (OFFSET 0 keeps it there), so that the window which
// counts the matches buffers (seq, score) pairs, not tsvectors.
constexpr std::string_view kCountedHead = "SELECT hit, score, COUNT(*) OVER () AS total FROM (";
constexpr std::string_view kCountedTail = "OFFSET 0) m ORDER BY score DESC, hit DESC ";
constexpr std::string_view kTotalColumn = ", r.total ";  // at index kPostColumnCount
constexpr std::string_view kPageOrder = "ORDER BY r.score DESC, p.seq DESC";

// A search of many words with many matches (ranks_newest_only): the total and the seq of the
// newest kMaxRankedMatches-th match in one statement (nothing when there are fewer), then the
// matches from that seq on ranked, and the older ones after them, unranked (score -1; ts_rank is
// above 0 for a match), newest first.
constexpr std::string_view kCountAndNewest =
    "SELECT COUNT(*), array_to_string((array_agg(s.seq ORDER BY s.seq DESC))[1:";
constexpr std::string_view kOlderHits = "UNION ALL SELECT s.seq AS hit, -1 AS score ";
constexpr std::string_view kHitsOrder = "ORDER BY score DESC, hit DESC ";

// Each partition returns its best offset + limit hits; deeper pages rank in one statement.
constexpr int64_t kMaxSplitHits = 1000;
constexpr std::string_view kSeqColumn = ", p.seq ";  // at index kPostColumnCount
constexpr std::string_view kPostsBySeq = "FROM forum_posts p ";
constexpr std::string_view kSeqIn = "WHERE p.seq = ANY($2::bigint[])";

// How a statement finds its matches.
enum class Find {
  // Through the GIN index, whatever the planner estimates: the tsquery is a subquery (an
  // InitPlan) whose value the planner does not see. Seeing it, the planner rightly estimated that
  // ten one-letter words match half the posts and read the whole table, testing every row
  // (130-170 ms a partition at load 13), where the index's lists and a visit of the matching rows
  // took 55-75 ms. What the index is given is bounded by its lists (see from_where).
  index,
  // As the planner chooses from its estimates: the newest matches of a broad search are found
  // sooner by reading back from the newest row than through the index.
  planned,
};

// The tsquery that holds the exact lexemes (a cast: nothing in them is parsed) and the prefixes
// (to_tsquery), ANDed; empty when both are.
std::string tsquery_sql(const std::string& exact, const std::string& prefixes, db::Statement& st) {
  const std::string cast = exact.empty() ? "" : "CAST(" + st.bind(exact) + " AS tsquery)";
  const std::string words =
      prefixes.empty() ? "" : "to_tsquery('simple', " + st.bind(prefixes) + ")";
  if (cast.empty() || words.empty()) return cast + words;
  return "(" + cast + " && " + words + ")";
}

// FROM <table> s WHERE s.search @@ (the filters' lexemes (migration 405) && the longer words'
// prefixes) AND ts_match_vq(s.search, a lexeme per one-character word (406)); or, for a search of
// one-character words alone, s.search @@ (their lexemes).
//
// The filters are tested inside the search: the GIN index intersects their lists with the words',
// where a join to the posts tested the words on every row first (0.4 s for ten one-letter words
// and a category at 100,000 posts). A one-character word's lexeme is in most rows: intersecting
// ten of them with one author's list in the index took 16-37 ms, testing the author's rows for
// them 3 ms (ts_match_vq is @@, but as a function the planner does not take it to the index), so
// they are given to the index only when nothing else is.
std::string from_where(std::string_view table, const PostFilter& filter, db::Statement& st,
                       Find find) {
  const TsqueryMatch m = tsquery_match(filter.search_words, filter.category, filter.author_id);
  const bool initials_alone = m.facets.empty() && m.prefixes.empty();
  const std::string in_index =
      initials_alone ? tsquery_sql(m.initials, "", st) : tsquery_sql(m.facets, m.prefixes, st);
  std::string out = "FROM " + std::string(table) + " s WHERE s.search @@ " +
                    (find == Find::index ? "(SELECT " + in_index + ") " : in_index + " ");
  if (!initials_alone && !m.initials.empty())
    out += "AND ts_match_vq(s.search, " + tsquery_sql(m.initials, "", st) + ") ";
  return out;
}

// SELECT hit, score, total FROM (the matches in table, ranked) m ORDER BY score DESC, hit DESC
std::string counted_hits(std::string_view table, const PostFilter& filter, db::Statement& st) {
  const std::string q = st.bind(tsquery_prefix_query(filter.search_words));
  return std::string(kCountedHead) + std::string(kHitsHead) + q + std::string(kHitsScoreEnd) +
         from_where(table, filter, st, Find::index) + std::string(kCountedTail);
}

// SELECT COUNT(*) FROM <table> s ... WHERE <the search and the filters>
db::Query count_query(std::string_view table, const PostFilter& filter) {
  db::Statement st;
  std::string sql = std::string(kCount) + from_where(table, filter, st, Find::index);
  return {std::move(sql), st.params()};
}

core::PageOf<Post> count_only(db::Connection& c, const PostFilter& filter) {
  const db::Query count = count_query(kSearchTable, filter);
  return post_list(c.query(count.sql, count.params).rows.at(0).i64(0), {});
}

// One statement: the page's posts, each row carrying the total.
core::PageOf<Post> search_in_one(db::Database& db, const PostFilter& filter, const core::Page& page,
                                 const std::string& viewer_id) {
  db::Statement st;
  st.bind(viewer_id);  // $1, for likedByMe
  const std::string hits =
      counted_hits(kSearchTable, filter, st) + st.limit_offset(page.limit, page.offset());
  const std::string sql = std::string(kPostColumns) + std::string(kTotalColumn) + "FROM (" + hits +
                          std::string(kHitsJoin) + std::string(kPostJoinAuthor) +
                          std::string(kPageOrder);
  return db.read([&](db::Connection& c) {
    const auto rows = c.query(sql, st.params()).rows;
    if (!rows.empty()) return post_list(rows.front().i64(kPostColumnCount), rows);
    // A page past the end has no rows to carry the total: count on its own then.
    return page.offset() == 0 ? core::PageOf<Post>{} : count_only(c, filter);
  });
}

struct Hit {
  int64_t seq;
  double score;
};

// The page's hits among the best hits of every partition (hit, score in each row's first two
// columns), best first.
std::vector<Hit> page_of_hits(const std::vector<db::Result>& parts, const core::Page& page) {
  std::vector<Hit> hits;
  for (const auto& part : parts) {
    for (const auto& row : part.rows) hits.push_back(Hit{row.i64(0), row.f64(1)});
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.seq > b.seq;
  });
  const auto first = std::min<std::size_t>(hits.size(), static_cast<std::size_t>(page.offset()));
  const auto last =
      std::min<std::size_t>(hits.size(), first + static_cast<std::size_t>(page.limit));
  return std::vector<Hit>(hits.begin() + static_cast<std::ptrdiff_t>(first),
                          hits.begin() + static_cast<std::ptrdiff_t>(last));
}

// The page's hits from every partition, best first, and the total of all matches (each row's
// third column).
std::pair<std::vector<Hit>, int64_t> merge(const std::vector<db::Result>& parts,
                                           const core::Page& page) {
  int64_t total = 0;
  for (const auto& part : parts) {
    if (!part.rows.empty()) total += part.rows.front().i64(2);
  }
  return {page_of_hits(parts, page), total};
}

// The posts of the page's hits, in the hits' order.
core::PageOf<Post> posts_of(db::Database& db, const std::vector<Hit>& hits, int64_t total,
                            const std::string& viewer_id) {
  if (hits.empty()) return post_list(total, {});
  std::string seqs = "{";
  for (const auto& h : hits) seqs.append(seqs.size() > 1 ? "," : "").append(std::to_string(h.seq));
  seqs += "}";
  const std::string sql = std::string(kPostColumns) + std::string(kSeqColumn) +
                          std::string(kPostsBySeq) + std::string(kPostJoinAuthor) +
                          std::string(kSeqIn);
  const auto rows = db.read([&](db::Connection& c) {
    return c.query(sql, {viewer_id, seqs}).rows;
  });
  std::vector<db::Row> ordered;
  for (const auto& h : hits) {
    // A post deleted since it was ranked is left out of the page.
    auto it = std::find_if(rows.begin(), rows.end(),
                           [&](const db::Row& r) { return r.i64(kPostColumnCount) == h.seq; });
    if (it != rows.end()) ordered.push_back(*it);
  }
  return post_list(total, ordered);
}

// The hits of a search of kCappedWords or more words in a table, the matches from oldest_ranked on
// ranked and the older ones (when the page reaches them) after them, newest first: the page's, or
// (split) the best offset + limit, for the page to be taken from every partition's.
db::Query newest_ranked_hits(std::string_view table, const PostFilter& filter,
                             const core::Page& page, int64_t oldest_ranked, bool split) {
  db::Statement st;
  const std::string q = st.bind(tsquery_prefix_query(filter.search_words));
  const std::string from = from_where(table, filter, st, Find::planned);
  const std::string oldest = st.bind(oldest_ranked);
  std::string sql = "SELECT hit, score FROM (" + std::string(kHitsHead) + q +
                    std::string(kHitsScoreEnd) + from + "AND s.seq >= " + oldest + " ";
  if (oldest_ranked > 0 && page.offset() + page.limit > kMaxRankedMatches)
    sql += std::string(kOlderHits) + from + "AND s.seq < " + oldest + " ";
  sql += ") h " + std::string(kHitsOrder) +
         (split ? "LIMIT " + st.bind(page.offset() + page.limit)
                : st.limit_offset(page.limit, page.offset()));
  return {std::move(sql), st.params()};
}

// The count of a table's matches and the seqs of its newest kMaxRankedMatches, "9,7,3".
db::Query count_and_newest(std::string_view table, const PostFilter& filter) {
  db::Statement st;
  std::string sql = std::string(kCountAndNewest) + st.bind(kMaxRankedMatches) + "], ',') " +
                    from_where(table, filter, st, Find::index);
  return {std::move(sql), st.params()};
}

// The total, and the seq from which matches are ranked: that of the kMaxRankedMatches-th newest
// match, or 0 (all) when there are no more matches than that.
std::pair<int64_t, int64_t> total_and_oldest_ranked(const std::vector<db::Result>& parts) {
  int64_t total = 0;
  std::vector<int64_t> newest;
  for (const auto& part : parts) {
    const auto& row = part.rows.at(0);
    total += row.i64(0);
    const std::string list = row.opt_str(1).value_or("");
    for (std::size_t at = 0; at < list.size();) {
      const std::size_t end = std::min(list.find(',', at), list.size());
      newest.push_back(std::stoll(list.substr(at, end - at)));
      at = end + 1;
    }
  }
  if (static_cast<int64_t>(newest.size()) < kMaxRankedMatches) return {total, 0};
  const auto nth = newest.begin() + (kMaxRankedMatches - 1);
  std::nth_element(newest.begin(), nth, newest.end(), std::greater<>());
  return {total, *nth};
}

// A search of many words (ranks_newest_only): first the total and the seq of the
// kMaxRankedMatches-th newest match (this reads every match and is most of the work), then the
// ranking of the matches from that seq on; each per partition at once when the pool is idle (a
// page past the ranked matches is ranked in one statement). Ten one-letter words match half the
// posts; ranking them all (ts_rank compares the positions of every pair of words) took most of a
// second, against 0.08 s for the newest 5,000 (at load 13).
core::PageOf<Post> search_many_words(db::Database& db, const PostFilter& filter,
                                     const core::Page& page, const std::string& viewer_id) {
  std::vector<db::Query> parts;
  for (const auto table : kPartitions) parts.push_back(count_and_newest(table, filter));
  auto counted = db.read_at_once(parts);
  if (!counted) {
    const db::Query all = count_and_newest(kSearchTable, filter);
    counted = db.read([&](db::Connection& c) {
      return std::vector<db::Result>{c.query(all.sql, all.params)};
    });
  }
  const auto [total, oldest_ranked] = total_and_oldest_ranked(*counted);
  if (total == 0 || page.offset() >= total) return post_list(total, {});
  if (page.offset() + page.limit <= kMaxRankedMatches) {
    std::vector<db::Query> ranked;
    for (const auto table : kPartitions)
      ranked.push_back(newest_ranked_hits(table, filter, page, oldest_ranked, true));
    if (const auto results = db.read_at_once(ranked))
      return posts_of(db, page_of_hits(*results, page), total, viewer_id);
  }
  const db::Query one = newest_ranked_hits(kSearchTable, filter, page, oldest_ranked, false);
  const auto hits = db.read([&](db::Connection& c) {
    return page_of_hits({c.query(one.sql, one.params)}, core::Page{1, page.limit});
  });
  return posts_of(db, hits, total, viewer_id);
}

}  // namespace

core::PageOf<Post> search_posts_postgres(db::Database& db, const PostFilter& filter,
                                         const core::Page& page, const std::string& viewer_id) {
  if (filter.search_words.size() >= kCappedWords)
    return search_many_words(db, filter, page, viewer_id);
  const int64_t wanted = page.offset() + page.limit;
  if (wanted <= kMaxSplitHits) {
    std::vector<db::Query> parts;
    for (const auto table : kPartitions) {
      db::Statement st;
      std::string sql = counted_hits(table, filter, st) + "LIMIT " + st.bind(wanted);
      parts.push_back({std::move(sql), st.params()});
    }
    if (auto results = db.read_at_once(parts)) {
      auto [hits, total] = merge(*results, page);
      return posts_of(db, hits, total, viewer_id);
    }
  }
  return search_in_one(db, filter, page, viewer_id);
}

}  // namespace o4o::services::forum::repo
