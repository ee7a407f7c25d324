// PostgreSQL back-end: a pool of libpq connections, each statement prepared once per connection,
// broken connections re-established on next use, so that /readyz recovers without a restart.
#include "db/postgres_database.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "db/group_commit.hpp"
#include "db/migrations.hpp"
#include "db/retry.hpp"

namespace o4o::db {

namespace {

constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700,
              kFloat8Oid = 701, kNumericOid = 1700;

std::string first_line(const char* text) {
  std::string s = text ? text : "";
  auto nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PgConnection final : public Connection {
 public:
  // `stopping` (the database's, outliving this) is Database::interrupt()'s flag.
  PgConnection(std::string conninfo, const std::atomic<bool>& stopping)
      : conninfo_(std::move(conninfo)), stopping_(stopping) {}
  ~PgConnection() override { disconnect(); }

  Dialect dialect() const override { return Dialect::postgres; }

  // Connects when not connected or when the connection went bad.
  void ensure() {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
    disconnect();
    conn_ = PQconnectdb(conninfo_.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = first_line(conn_ ? PQerrorMessage(conn_) : "out of memory");
      disconnect();
      throw UnavailableError("cannot connect to PostgreSQL: " + msg);
    }
    {
      std::lock_guard lock(cancel_mutex_);
      cancel_ = PQgetCancel(conn_);
    }
    run_plain("SET TIME ZONE 'UTC'");
  }
  bool healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }
  void disconnect() {
    {
      std::lock_guard lock(cancel_mutex_);
      if (cancel_) PQfreeCancel(cancel_);
      cancel_ = nullptr;
    }
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    busy_ = false;
    prepared_.clear();
  }

  void exec_script(std::string_view sql) override { run_plain(std::string(sql)); }

  Result query(std::string_view sql, std::span<const Param> params) override {
    send(sql, params);
    return receive();
  }

  // Sends a statement without waiting for its result: the server works on it while this thread
  // goes on; receive() collects it. One statement in flight per connection.
  void send(std::string_view sql, std::span<const Param> params) {
    if (stopping_.load(std::memory_order_relaxed))
      throw TimeoutError("the database is interrupted: the server is stopping");
    const std::string& name = prepare(sql);
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              values[i] = nullptr;
              return;
            } else if constexpr (std::is_same_v<T, int64_t>) {
              texts[i] = std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
              texts[i] = std::to_string(v);
            } else if constexpr (std::is_same_v<T, bool>) {
              texts[i] = v ? "true" : "false";
            } else {
              texts[i] = v;
            }
            values[i] = texts[i].c_str();
          },
          params[i].value());
    }
    if (!PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(),
                             nullptr, nullptr, 0)) {
      ResultPtr none;
      check(none.get(), "query");
    }
    busy_ = true;
  }
  // Asks the server to end the statement this connection runs now, if any (57014: TimeoutError);
  // from any thread.
  void cancel() noexcept {
    std::lock_guard lock(cancel_mutex_);
    char error[256];
    if (cancel_) PQcancel(cancel_, error, sizeof error);
  }

  // A statement was sent and its result not yet received.
  bool busy() const { return busy_; }

  // The result of the statement sent last; reads until libpq has no more, so the connection is
  // ready for the next statement even when this one failed.
  Result receive() {
    busy_ = false;
    ResultPtr res(PQgetResult(conn_));
    while (ResultPtr extra{PQgetResult(conn_)}) {
    }
    check(res.get(), "query");
    Result out;
    if (PQresultStatus(res.get()) == PGRES_TUPLES_OK) {
      const int rows = PQntuples(res.get()), cols = PQnfields(res.get());
      out.rows.reserve(rows);
      for (int r = 0; r < rows; ++r) {
        std::vector<Value> vals;
        vals.reserve(cols);
        for (int c = 0; c < cols; ++c) vals.push_back(value(res.get(), r, c));
        out.rows.emplace_back(std::move(vals));
      }
    }
    const char* affected = PQcmdTuples(res.get());
    out.affected = (affected && *affected) ? std::atoll(affected) : 0;
    return out;
  }

 private:
  const std::string& prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
    if (!healthy()) throw UnavailableError("PostgreSQL connection lost");
    // (built by appending: "s" + to_string trips a false -Wrestrict in GCC 12)
    std::string name("s");
    name += std::to_string(prepared_.size() + 1);
    ResultPtr res(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr));
    check(res.get(), "prepare");
    return prepared_.emplace(std::move(key), std::move(name)).first->second;
  }

  void run_plain(const std::string& sql) {
    if (!conn_) throw UnavailableError("PostgreSQL connection lost");
    ResultPtr res(PQexec(conn_, sql.c_str()));
    check(res.get(), "statement");
  }

  void check(PGresult* res, std::string_view context) {
    auto st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
    if (!healthy()) {
      disconnect();
      throw UnavailableError("PostgreSQL connection lost");
    }
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string code = state ? state : "";
    std::string msg = std::string(context) + ": " +
                      first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    if (code == "40001" || code == "40P01" || code == "55P03") throw RetryableError(msg);
    if (code == "57014") throw TimeoutError(msg);  // statement_timeout (query_canceled)
    if (code.rfind("23", 0) == 0) {
      const char* cname = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
      auto kind = code == "23505"   ? ConstraintError::Kind::unique
                  : code == "23503" ? ConstraintError::Kind::foreign_key
                  : code == "23514" ? ConstraintError::Kind::check
                  : code == "23502" ? ConstraintError::Kind::not_null
                                    : ConstraintError::Kind::other;
      throw ConstraintError(kind, cname ? cname : "", msg);
    }
    if (code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03" ||
        code == "53300")
      throw UnavailableError(msg);
    throw Error(msg);
  }

  static Value value(PGresult* res, int r, int c) {
    if (PQgetisnull(res, r, c)) return nullptr;
    const char* v = PQgetvalue(res, r, c);
    const int len = PQgetlength(res, r, c);
    switch (PQftype(res, c)) {
      case kBoolOid:
        return v[0] == 't';
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
        return static_cast<int64_t>(std::strtoll(v, nullptr, 10));
      case kFloat4Oid:
      case kFloat8Oid:
        return std::strtod(v, nullptr);
      case kNumericOid:
        if (!std::strchr(v, '.')) return static_cast<int64_t>(std::strtoll(v, nullptr, 10));
        return std::strtod(v, nullptr);
      default:
        return std::string(v, static_cast<std::size_t>(len));
    }
  }

  std::string conninfo_;
  const std::atomic<bool>& stopping_;
  std::mutex cancel_mutex_;
  PGcancel* cancel_ = nullptr;  // for cancel() from other threads; set while connected
  PGconn* conn_ = nullptr;
  bool busy_ = false;
  std::unordered_map<std::string, std::string> prepared_;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(const std::string& url, const OpenOptions& options) {
    std::string conninfo = url;
    conninfo += (url.find('?') == std::string::npos ? "?" : "&");
    conninfo += "connect_timeout=" + std::to_string(std::max(2, options.connect_timeout_seconds));
    conninfo += "&application_name=o4o";
    // The query deadline, as the session default (migrations lift it for their transaction).
    if (options.statement_timeout_ms > 0) {
      conninfo +=
          "&options=-c%20statement_timeout%3D" + std::to_string(options.statement_timeout_ms);
    }
    for (int i = 0; i < std::max(1, options.pool_size); ++i) {
      conns_.push_back(std::make_unique<PgConnection>(conninfo, stopping_));
      free_.push_back(conns_.back().get());
    }
    // Fail at start, with one line, when the server cannot be reached at all.
    conns_.front()->ensure();
  }

  Dialect dialect() const override { return Dialect::postgres; }

  PoolStats pool_stats() override {
    const auto queued = static_cast<int64_t>(group_.depth());
    std::lock_guard lock(mutex_);
    const auto idle = static_cast<int64_t>(free_.size());
    return {static_cast<int64_t>(conns_.size()) - idle, idle, waiters_, queued};
  }

  void migrate() override {
    with_connection([&](PgConnection& c) {
      // One process migrates at a time; the others wait, then find nothing left to do.
      const std::string key = std::to_string(kMigrationLockKey);
      // Waiting for another migrating process and migrating itself have no query deadline.
      c.exec_script("SET statement_timeout = 0");
      c.exec_script("SELECT pg_advisory_lock(" + key + ")");
      try {
        in_transaction(c, [&] { apply_migrations(c); });
      } catch (...) {
        try {
          c.exec_script("SELECT pg_advisory_unlock(" + key + ")");
        } catch (...) {
        }
        throw;
      }
      c.exec_script("SELECT pg_advisory_unlock(" + key + ")");
      c.exec_script("RESET statement_timeout");
    });
  }

  std::optional<std::vector<Result>> read_at_once(std::span<const Query> queries) override {
    Idle idle(*this, queries.size());
    if (!idle) return std::nullopt;
    std::vector<Result> out(queries.size());
    std::exception_ptr failure;
    try {
      for (std::size_t i = 0; i < queries.size(); ++i)
        idle[i].send(queries[i].sql, queries[i].params);
    } catch (...) {
      failure = std::current_exception();
    }
    // Every statement sent is collected, failed or not, before the connections go back.
    for (std::size_t i = 0; i < idle.size(); ++i) {
      if (!idle[i].busy()) continue;
      try {
        out[i] = idle[i].receive();
      } catch (...) {
        if (!failure) failure = std::current_exception();
      }
    }
    if (!failure) return out;
    try {
      std::rethrow_exception(failure);
    } catch (const UnavailableError&) {
      return std::nullopt;  // a connection broke: the caller's usual path reconnects
    }
  }

  void interrupt() noexcept override {
    stopping_ = true;
    for (auto& c : conns_) c->cancel();
  }

  void close() noexcept override {
    group_.stop();
    std::lock_guard lock(mutex_);
    for (auto* c : free_) c->disconnect();
  }

 protected:
  void run_read(const std::function<void(Connection&)>& f) override {
    with_connection([&](PgConnection& c) { f(c); });
  }

  void run_write(const std::function<void(Connection&)>& f) override {
    with_connection([&](PgConnection& c) { in_transaction(c, [&] { f(c); }); });
  }

 public:
  void write_grouped(std::function<void(Connection&)> work,
                     std::function<void(std::exception_ptr)> done) override {
    group_.submit({std::move(work), std::move(done)});
  }

 private:
  // The session-level advisory lock `migrate` holds, so that one process migrates at a time.
  static constexpr int64_t kMigrationLockKey = 4040404;

  // Runs f in a transaction on c: commits, or rolls back and rethrows; serialization failures and
  // deadlocks roll back and run f again (db/retry.hpp).
  template <class F>
  void in_transaction(PgConnection& c, F&& f) {
    with_retry([&] {
      c.forget_changes();
      c.exec_script("BEGIN");
      try {
        f();
        c.exec_script("COMMIT");
      } catch (...) {
        c.forget_changes();
        rollback(c);
        throw;
      }
    });
    committed(c);
  }

  static void rollback(PgConnection& c) noexcept {
    try {
      if (c.healthy()) c.exec_script("ROLLBACK");
    } catch (...) {
    }
  }

  void give_back(PgConnection* c) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(c);
    }
    cv_.notify_one();
  }

  // All of n connections, taken only when the pool is idle (nothing lent, n free) and each is
  // connected or connectable; given back when this goes out of scope. False when not taken.
  class Idle {
   public:
    Idle(PostgresDatabase& db, std::size_t n) : db_(db) {
      {
        std::lock_guard lock(db_.mutex_);
        if (n < 2 || db_.free_.size() != db_.conns_.size() || db_.free_.size() < n) return;
        for (std::size_t i = 0; i < n; ++i) {
          taken_.push_back(db_.free_.back());
          db_.free_.pop_back();
        }
      }
      try {
        for (auto* c : taken_) c->ensure();
      } catch (const Error&) {
        release();
      }
    }
    ~Idle() { release(); }
    Idle(const Idle&) = delete;
    Idle& operator=(const Idle&) = delete;
    explicit operator bool() const { return !taken_.empty(); }
    std::size_t size() const { return taken_.size(); }
    PgConnection& operator[](std::size_t i) { return *taken_[i]; }

   private:
    void release() {
      for (auto* c : taken_) db_.give_back(c);
      taken_.clear();
    }
    PostgresDatabase& db_;
    std::vector<PgConnection*> taken_;
  };

  // Lends a connection; a connection found broken (the server restarted) is re-established and
  // the work tried once more, since nothing of it can have been committed.
  template <class G>
  void with_connection(G&& g) {
    PgConnection* c = nullptr;
    {
      std::unique_lock lock(mutex_);
      ++waiters_;
      const bool got = cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !free_.empty(); });
      --waiters_;
      if (!got) throw UnavailableError("no PostgreSQL connection became free within 10 s");
      c = free_.back();
      free_.pop_back();
    }
    struct Return {
      PostgresDatabase* self;
      PgConnection* c;
      ~Return() { self->give_back(c); }
    } returned{this, c};
    const bool was_connected = c->healthy();
    c->ensure();
    try {
      g(*c);
    } catch (const UnavailableError&) {
      if (!was_connected || c->healthy()) throw;
      c->ensure();
      g(*c);
    }
  }

  // One batch of grouped writes on one connection. At most 64 a batch: each savepoint that writes
  // is a subtransaction, and PostgreSQL keeps 64 of them per backend in shared memory before
  // every other snapshot gets slower. One committer: two batches on one hot row would only wait
  // for each other, and two that lock rows in different orders could deadlock (found only after
  // deadlock_timeout).
  void run_batch(std::vector<GroupedWrite>& items) {
    try {
      with_connection([&](PgConnection& c) {
        run_group(*this, c, "BEGIN", items, group_, [this] { return stopping_.load(); });
      });
    } catch (...) {
      // No connection to run them on; run_group told nobody.
      for (auto& item : items) {
        try {
          item.done(std::current_exception());
        } catch (...) {
        }
      }
    }
  }

  std::atomic<bool> stopping_{false};  // before the connections, which refer to it
  std::vector<std::unique_ptr<PgConnection>> conns_;
  std::vector<PgConnection*> free_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int64_t waiters_ = 0;  // callers in with_connection waiting for a free connection
  GroupCommitQueue group_{64, [this](std::vector<GroupedWrite>& items) { run_batch(items); }};
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const OpenOptions& options) {
  return std::make_unique<PostgresDatabase>(url, options);
}

}  // namespace o4o::db
