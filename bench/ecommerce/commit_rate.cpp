// The disk's one-row durable commit rate, the yardstick of group commit: one connection doing
// BEGIN IMMEDIATE; INSERT one row; COMMIT in a loop, WAL with synchronous=FULL, as the server's
// SQLite writer is configured. Prints commits per second.
//
//   g++ -O2 -o commit_rate commit_rate.cpp -lsqlite3 && ./commit_rate DB_PATH SECONDS
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

static void run(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
    std::exit(1);
  }
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: commit_rate DB_PATH SECONDS\n");
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) return 1;
  run(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
          "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  const double seconds = std::atof(argv[2]);
  const auto start = std::chrono::steady_clock::now();
  long n = 0;
  for (;;) {
    run(db, "BEGIN IMMEDIATE; INSERT INTO t (v) VALUES ('0123456789abcdef0123456789abcdef'); COMMIT");
    ++n;
    const std::chrono::duration<double> d = std::chrono::steady_clock::now() - start;
    if (d.count() >= seconds) {
      std::printf("%.0f\n", n / d.count());
      break;
    }
  }
  sqlite3_close(db);
  return 0;
}
