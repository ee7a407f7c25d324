// The disk's one-row durable commit rate, the yardstick of group commit: one connection doing
// BEGIN IMMEDIATE; INSERT one row; COMMIT in a loop, WAL with synchronous=FULL, as the server's
// SQLite writer is configured. Prints commits per second, then the median and 99th percentile of
// one commit's time in ms (the floor under any durable answer's latency on this disk).
//
//   g++ -O2 -o commit_rate commit_rate.cpp -lsqlite3 && ./commit_rate DB_PATH SECONDS
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <algorithm>
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
  std::vector<double> ms;
  for (;;) {
    const auto t0 = std::chrono::steady_clock::now();
    run(db, "BEGIN IMMEDIATE; INSERT INTO t (v) VALUES ('0123456789abcdef0123456789abcdef'); COMMIT");
    const auto t1 = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    const std::chrono::duration<double> d = t1 - start;
    if (d.count() >= seconds) {
      const long n = static_cast<long>(ms.size());
      std::sort(ms.begin(), ms.end());
      std::printf("%.0f %.2f %.2f\n", n / d.count(), ms[ms.size() / 2],
                  ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]);
      break;
    }
  }
  sqlite3_close(db);
  return 0;
}
