// o4o_rank on a real SQLite FTS5 table: occurrences count with diminishing returns, columns by
// their weights, every query phrase adds up.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/sqlite_fts_rank.hpp"
#include "support/temp_database.hpp"

using namespace o4o;

namespace {
class FtsRank : public unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->write([](db::Connection& c) {
      c.exec_script("CREATE VIRTUAL TABLE docs USING fts5(title, body, prefix='2 3')");
    });
  }
  void add(int64_t id, const std::string& title, const std::string& body) {
    db_->write([&](db::Connection& c) {
      c.exec("INSERT INTO docs (rowid, title, body) VALUES ($1, $2, $3)", {id, title, body});
    });
  }
  // Matching rowids, best first (ties: higher rowid first, as the forum orders newest first).
  std::vector<int64_t> ranked(const std::string& match) {
    return db_->read([&](db::Connection& c) {
      std::vector<int64_t> ids;
      for (const auto& row :
           c.query("SELECT rowid, o4o_rank(docs, 2.0, 1.0) AS score FROM docs WHERE docs MATCH $1 "
                   "ORDER BY score DESC, rowid DESC",
                   {match})
               .rows)
        ids.push_back(row.i64(0));
      return ids;
    });
  }
  double score(const std::string& match, int64_t id) {
    return db_->read([&](db::Connection& c) {
      return c
          .query_one("SELECT o4o_rank(docs, 2.0, 1.0) FROM docs WHERE docs MATCH $1 AND rowid = $2",
                     {match, id})
          ->f64(0);
    });
  }
};
}  // namespace

TEST(FtsRankTerm, SaturatesAndWeighs) {
  EXPECT_EQ(db::fts_rank_term(1.0, 0), 0.0);
  EXPECT_DOUBLE_EQ(db::fts_rank_term(1.0, 1), 1.0);
  EXPECT_DOUBLE_EQ(db::fts_rank_term(2.0, 1), 2.0);
  EXPECT_GT(db::fts_rank_term(1.0, 2), db::fts_rank_term(1.0, 1));
  EXPECT_LT(db::fts_rank_term(1.0, 1000), 2.2);  // never more than (k1 + 1) times the weight
}

TEST_F(FtsRank, MoreOccurrencesRankHigherAndTiesGoToTheNewest) {
  add(1, "notes", "quasar once");
  add(2, "notes", "quasar and quasar and quasar");
  add(3, "notes", "quasar once more");
  add(4, "notes", "nothing here");
  EXPECT_EQ(ranked("\"quasar\"*"), (std::vector<int64_t>{2, 3, 1}));
}

TEST_F(FtsRank, TheTitleWeighsDouble) {
  add(1, "quasar", "words");
  add(2, "words", "quasar");
  EXPECT_EQ(ranked("\"quasar\"*"), (std::vector<int64_t>{1, 2}));
  EXPECT_DOUBLE_EQ(score("\"quasar\"*", 1), 2 * score("\"quasar\"*", 2));
}

TEST_F(FtsRank, PrefixMatchesCountAndEveryPhraseAddsUp) {
  add(1, "t", "developer develops development");
  add(2, "t", "developer signage");
  EXPECT_EQ(ranked("\"devel\"*"), (std::vector<int64_t>{1, 2}));
  EXPECT_DOUBLE_EQ(score("\"devel\"*", 1), db::fts_rank_term(1.0, 3));
  EXPECT_DOUBLE_EQ(score("\"devel\"* \"sign\"*", 2), 2 * db::fts_rank_term(1.0, 1));
}
