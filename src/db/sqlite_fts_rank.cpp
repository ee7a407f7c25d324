#include "db/sqlite_fts_rank.hpp"

#include <vector>

#include "db/database.hpp"

namespace o4o::db {
namespace {

constexpr double kSaturation = 1.2;  // BM25's k1

void rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_weights,
          sqlite3_value** weights) {
  const int phrases = api->xPhraseCount(fts);
  const int columns = api->xColumnCount(fts);
  // Occurrences per (phrase, column), read phrase by phrase. (xInst would give the same counts
  // but first merges every phrase's positions into one list in document order: twice the time
  // for a broad query of many words, where ranking is most of the work.)
  std::vector<int> tf(static_cast<std::size_t>(phrases * columns), 0);
  for (int p = 0; p < phrases; ++p) {
    Fts5PhraseIter it;
    int column = 0, offset = 0;
    if (int rc = api->xPhraseFirst(fts, p, &it, &column, &offset); rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset)) {
      if (column < columns) ++tf[static_cast<std::size_t>(p * columns + column)];
    }
  }
  double score = 0;
  for (int p = 0; p < phrases; ++p) {
    for (int c = 0; c < columns; ++c) {
      const double w = c < n_weights ? sqlite3_value_double(weights[c]) : 1.0;
      score += fts_rank_term(w, tf[static_cast<std::size_t>(p * columns + c)]);
    }
  }
  sqlite3_result_double(ctx, score);
}

}  // namespace

double fts_rank_term(double weight, int tf) {
  if (tf <= 0) return 0;
  return weight * tf * (kSaturation + 1) / (tf + kSaturation);
}

void register_fts_rank(sqlite3* db) {
  // The FTS5 API is reached through a pointer handed out by "SELECT fts5(?1)".
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (!api || api->iVersion < 2) throw Error("SQLite was built without FTS5");
  if (api->xCreateFunction(api, "o4o_rank", nullptr, rank, nullptr) != SQLITE_OK)
    throw Error("cannot register o4o_rank");
}

}  // namespace o4o::db
