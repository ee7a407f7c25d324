#pragma once
// Shared by both back-ends: run a transaction again after busy, serialization or deadlock errors,
// with a short randomised back-off, and apply migrations inside an already open transaction.
#include <chrono>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "db/database.hpp"
#include "db/migrations.hpp"

namespace o4o::db {

inline constexpr int kMaxAttempts = 60;

// give_up() is asked after each busy error: true ends the waiting with a TimeoutError (the query
// deadline has passed, or the database is being interrupted).
template <class F, class G>
void with_retry(F&& attempt, G&& give_up) {
  thread_local std::mt19937 gen{std::random_device{}()};
  for (int i = 1;; ++i) {
    try {
      attempt();
      return;
    } catch (const RetryableError& e) {
      if (i >= kMaxAttempts) throw;
      if (give_up()) throw TimeoutError(std::string("waited past the query deadline: ") + e.what());
      // Grows from ~1 ms to ~50 ms: enough for the other transaction to finish.
      int ceiling = std::min(50, 1 + i * 2);
      std::uniform_int_distribution<int> d(1, ceiling);
      std::this_thread::sleep_for(std::chrono::milliseconds(d(gen)));
    }
  }
}

template <class F>
void with_retry(F&& attempt) {
  with_retry(std::forward<F>(attempt), [] { return false; });
}

// Creates the migrations table if needed and applies what is missing, in version order.
inline void apply_migrations(Connection& c) {
  c.exec_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at BIGINT NOT NULL)");
  std::set<int64_t> applied;
  for (const auto& row : c.query("SELECT version FROM schema_migrations").rows)
    applied.insert(row.i64(0));
  for (const auto& m : embedded_migrations(c.dialect())) {
    if (applied.count(m.version)) continue;
    c.exec_script(m.sql);
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    c.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
           {m.version, std::string(m.name), now});
  }
}

}  // namespace o4o::db
