#pragma once
// One database interface, two back-ends (SQLite embedded, PostgreSQL through libpq).
//
// SQL is written once with $1, $2 ... placeholders (the SQLite back-end maps them to ?1, ?2).
// Where the dialects differ, branch on dialect(). Conventions used by every schema:
//   ids TEXT (UUID), money and counts BIGINT/INTEGER, times BIGINT epoch milliseconds (UTC),
//   booleans BOOLEAN on PostgreSQL and INTEGER 0/1 on SQLite (Row::boolean reads both).
// In PostgreSQL a parameter whose type cannot be inferred needs a cast ($1::text).
#include <concepts>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/trace.hpp"

namespace o4o::db {

enum class Dialect { sqlite, postgres };

// --- errors ---
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The database cannot be reached (→ 503 SERVICE_UNAVAILABLE).
struct UnavailableError : Error {
  using Error::Error;
};
// A statement ran past the query deadline (Open options' statement_timeout_ms) and was
// interrupted (→ 503 with Retry-After). An UnavailableError, so code that copes with an
// unreachable database copes with this too.
struct TimeoutError : UnavailableError {
  using UnavailableError::UnavailableError;
};
// Busy, serialization failure or deadlock: write() retries these itself; one escapes only after
// the retries are used up.
struct RetryableError : Error {
  using Error::Error;
};
// Group commit on PostgreSQL: a statement that an earlier work left waiting
// (Connection::hand_over_deferred) failed when it went out with a later statement. `cause` is its
// error, to be told to that work: the one `back` works before the current one (1: the one just
// before). Nothing of the works after it ran (the server skipped their statements). Not an
// Error, so that no handler meant for a work's own errors takes it.
struct EarlierWorkError {
  std::exception_ptr cause;
  std::size_t back = 1;
};
// A constraint said no. Services catch the unique ones they expect (duplicate email → 409).
struct ConstraintError : Error {
  enum class Kind { unique, foreign_key, check, not_null, other };
  ConstraintError(Kind k, std::string constraint_name, const std::string& what)
      : Error(what), kind(k), constraint(std::move(constraint_name)) {}
  Kind kind;
  std::string constraint;  // PostgreSQL: constraint name; SQLite: "table.column" text when known
};

// --- values ---
class Param {
 public:
  using Variant = std::variant<std::nullptr_t, int64_t, double, bool, std::string>;
  Param(std::nullptr_t) : v_(nullptr) {}
  Param(std::string s) : v_(std::move(s)) {}
  Param(std::string_view s) : v_(std::string(s)) {}
  Param(const char* s) : v_(std::string(s)) {}
  Param(bool b) : v_(b) {}
  Param(double d) : v_(d) {}
  template <std::integral T>
  requires(!std::same_as<T, bool>) Param(T v) : v_(static_cast<int64_t>(v)) {}
  template <class T>
  Param(const std::optional<T>& o) : v_(nullptr) {
    if (o) *this = Param(*o);
  }
  const Variant& value() const { return v_; }

 private:
  Variant v_;
};

using Value = std::variant<std::nullptr_t, int64_t, double, bool, std::string>;

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t i) const;
  // Typed reads; throw db::Error on NULL or a value of another kind.
  int64_t i64(std::size_t i) const;
  double f64(std::size_t i) const;
  bool boolean(std::size_t i) const;  // BOOLEAN, or INTEGER 0/1
  const std::string& str(std::size_t i) const;
  std::optional<int64_t> opt_i64(std::size_t i) const;
  std::optional<std::string> opt_str(std::size_t i) const;
  const Value& at(std::size_t i) const;

 private:
  std::vector<Value> values_;
};

struct Result {
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
};

// A read statement and its parameters, for Database::read_at_once.
struct Query {
  std::string sql;
  std::vector<Param> params;
};

// A connection lent to one read() or write() call; not to be kept beyond it.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  virtual Result query(std::string_view sql, std::span<const Param> params) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void exec_script(std::string_view sql) = 0;
  // A statement whose result the caller does not need, run no later than the connection's next
  // statement: PostgreSQL sends the ones waiting together with that next statement (one round
  // trip for all) and an error met by one of them is thrown by it, by flush() or by the COMMIT;
  // SQLite runs it at once. Inside a transaction only.
  virtual void exec_deferred(std::string_view sql, std::span<const Param> params) {
    query(sql, params);
  }
  void exec_deferred(std::string_view sql, std::initializer_list<Param> params = {}) {
    exec_deferred(sql, std::span<const Param>(params.begin(), params.size()));
  }
  // Runs what exec_deferred left waiting now, and throws the first error it met.
  virtual void flush() {}
  // Group commit: the statements left waiting now belong to the work that just ended; they go
  // out with the next statement that needs an answer, or the next flush (PostgreSQL: one round
  // trip for them all, however many works left theirs), and an error met by one of them is thrown
  // as EarlierWorkError. SQLite ran them at once: nothing to do.
  virtual void hand_over_deferred() {}

  Result query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return query(sql, std::span<const Param>(params.begin(), params.size()));
  }
  // Rows changed.
  int64_t exec(std::string_view sql, std::initializer_list<Param> params = {}) {
    return query(sql, params).affected;
  }
  std::optional<Row> query_one(std::string_view sql, std::initializer_list<Param> params = {}) {
    auto r = query(sql, params);
    if (r.rows.empty()) return std::nullopt;
    return std::move(r.rows.front());
  }
  // " FOR UPDATE" on PostgreSQL (row locks), "" on SQLite (one writer at a time already).
  std::string_view for_update() const {
    return dialect() == Dialect::postgres ? " FOR UPDATE" : "";
  }

  // Change notes: a write transaction names what it changed, in the words of the caches that
  // hold copies of it (core/read_cache.hpp: "ecommerce.product:<id>"). The notes go to the
  // Database's change observer once the transaction has committed, before write() returns or a
  // grouped write is answered; a rollback forgets them (a savepoint's rollback does not: a note
  // too many only costs a cache entry).
  void note_change(std::string what) { changes_.push_back(std::move(what)); }
  std::vector<std::string> take_changes() { return std::exchange(changes_, {}); }
  void forget_changes() { changes_.clear(); }

 private:
  std::vector<std::string> changes_;
};

// Work a caller adds to a service's write transaction, given what the transaction made; it
// commits with it or not at all.
template <class T>
using BeforeCommit = std::function<void(Connection&, const T&)>;

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs f on a connection for reading (SQLite: one of the reader connections).
  template <class F>
  auto read(F&& f) -> std::invoke_result_t<F, Connection&> {
    return invoke_with(f, [this](const std::function<void(Connection&)>& g) { run_read(g); });
  }
  // Runs f inside a transaction on the writer (SQLite) or a pooled connection (PostgreSQL) and
  // commits. An exception from f rolls back and propagates. Busy/serialization/deadlock errors
  // roll back and run f again (bounded), so f must not have effects outside the database.
  template <class F>
  auto write(F&& f) -> std::invoke_result_t<F, Connection&> {
    // A span of its own inside the request's (retries included), so the trace shows the
    // transaction and the log lines written inside it name it.
    core::trace::Span span("db.transaction");
    return invoke_with(f, [this](const std::function<void(Connection&)>& g) { run_write(g); });
  }

  // Group commit (db/group_commit.hpp): queues work for the next transaction shared with other
  // writes, each in a savepoint of its own, and returns at once. done(nullptr) is called once the
  // transaction holding work's effect is durable; done(error) when work threw (its savepoint alone
  // rolled back) or the transaction could not commit. Busy/serialization errors run work again,
  // as write() does. done runs on the committer thread: it must be quick and must not block. The
  // default runs work at once, on the caller, in a transaction of its own.
  virtual void write_grouped(std::function<void(Connection&)> work,
                             std::function<void(std::exception_ptr)> done) {
    try {
      run_write(work);
    } catch (...) {
      done(std::current_exception());
      return;
    }
    done(nullptr);
  }

  // Runs independent read statements at the same time, each on a connection of its own (and so
  // each with its own snapshot), and returns their results in order; or nullopt, having run
  // nothing, unless the pool is idle: no other work in flight and a free connection for each.
  // Spreading a request over an idle pool uses cores that would wait; spreading it over a busy
  // one only adds to the queue. SQLite always answers nullopt.
  virtual std::optional<std::vector<Result>> read_at_once(std::span<const Query> queries) {
    (void)queries;
    return std::nullopt;
  }

  // For the end of a shutdown's grace period, so that no statement keeps the process past it:
  // statements running now are interrupted and later ones fail at once (TimeoutError), and waits
  // for another process's lock give up, for good (close() included: an interrupted SQLite skips
  // its closing checkpoint when another process holds the lock). Safe from any thread.
  virtual void interrupt() noexcept {}

  // Runs f on the primary for reading, whatever the request: for reads that must see every
  // write committed anywhere (authentication: a role changed or sessions ended by someone else).
  // The same as read() without read replicas.
  template <class F>
  auto read_primary(F&& f) -> std::invoke_result_t<F, Connection&> {
    return invoke_with(f, [this](const std::function<void(Connection&)>& g) { run_read_primary(g); });
  }

  // True when the (primary) database answers a trivial query now (bounded by a short timeout).
  bool ping() noexcept {
    try {
      run_read_primary([](Connection& c) { c.query("SELECT 1"); });
      return true;
    } catch (...) {
      return false;
    }
  }
  // The connection pool now, for /metrics: connections lent out, connections free, and callers
  // waiting for one (SQLite: its readers and its one writer).
  struct PoolStats {
    int64_t in_use = 0;
    int64_t idle = 0;
    int64_t waiters = 0;
    int64_t group_commit_queued = 0;  // writes waiting for the group committer
    int64_t group_commit_reruns = 0;  // batches run again with a savepoint per work
  };
  virtual PoolStats pool_stats() { return {}; }

  // Read replicas (PostgreSQL, OpenOptions::replica_urls) now, for /readyz and /metrics; empty
  // without replicas.
  struct ReplicaStatus {
    int index = 0;            // 1-based, in the order of O4O_DATABASE_REPLICA_URLS
    std::string host;         // host:port of its URL (never the credentials)
    std::string state;        // ok (serves reads) | lagging | down | starting (not checked yet)
    std::optional<int64_t> lag_ms;  // how far its replay is behind the primary; unknown when down
    int64_t reads = 0;        // reads it served
  };
  struct ReplicaStats {
    std::vector<ReplicaStatus> replicas;
    // Reads of a request that went to the primary although replicas are configured, by reason:
    // the request's user or address wrote something no replica had replayed yet; no replica was
    // usable (all lagging, down or starting); a read on a replica failed and ran on the primary.
    int64_t fallback_recent_write = 0;
    int64_t fallback_unavailable = 0;
    int64_t fallback_error = 0;
  };
  virtual ReplicaStats replica_stats() { return {}; }

  // Applies pending migrations; safe to run twice and from two processes at once.
  virtual void migrate() = 0;
  virtual void close() noexcept = 0;

  // Calls f, on a thread of the database's, soon after another process has committed to this
  // database: such a write comes with no change note. For SQLite files shared by processes with
  // no pub/sub between them; PostgreSQL never calls it (its instances hear each other over
  // LISTEN/NOTIFY). Set once, before serving; close(), or an empty f, stops it (f is not called
  // once that returns).
  virtual void watch_other_processes(std::function<void()> f) { (void)f; }

  // Who hears of committed change notes (Connection::note_change); set once, before serving.
  // Called on the committing thread, before the writer's answer: it must be quick, or bounded
  // (core::CacheChannel waits at most 100 ms for the other instances' acks).
  using ChangeObserver = std::function<void(const std::vector<std::string>& changes)>;
  void observe_changes(ChangeObserver observer) { observer_ = std::move(observer); }
  // The back-ends' (and group commit's): c's transaction has committed; tell its notes.
  void committed(Connection& c) {
    auto changes = c.take_changes();
    if (changes.empty() || !observer_) return;
    try {
      observer_(changes);
    } catch (...) {
      // The commit stands; an observer that fails must not turn it into an error.
    }
  }

 protected:
  virtual void run_read(const std::function<void(Connection&)>& f) = 0;
  virtual void run_write(const std::function<void(Connection&)>& f) = 0;
  virtual void run_read_primary(const std::function<void(Connection&)>& f) { run_read(f); }

 private:
  template <class F, class Runner>
  static auto invoke_with(F& f, Runner&& runner) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      runner([&](Connection& c) { f(c); });
    } else {
      std::optional<R> out;
      runner([&](Connection& c) { out.emplace(f(c)); });
      return std::move(*out);
    }
  }

  ChangeObserver observer_;
};

struct OpenOptions {
  int pool_size = 8;  // PostgreSQL connections / SQLite readers
  int connect_timeout_seconds = 10;
  int statement_timeout_ms = 0;  // longest a statement may run; 0 = no limit (O4O_QUERY_TIMEOUT_MS)
  // PostgreSQL streaming replicas (libpq URIs) that serve the reads of requests
  // (O4O_DATABASE_REPLICA_URLS; db/replicas.hpp), and the lag past which one is skipped.
  std::vector<std::string> replica_urls;
  int replica_max_lag_ms = 1000;
};

// "sqlite:PATH" or a libpq URI "postgresql://user:pass@host:port/db". Throws UnavailableError
// with one readable line when the database cannot be opened or reached.
std::unique_ptr<Database> open_database(const std::string& url, const OpenOptions& options);

}  // namespace o4o::db
