// SQLite back-end: WAL, busy_timeout set first, synchronous=FULL (an acknowledged order survives
// a power cut), foreign keys on; one writer connection beside a pool of query-only readers.
#include "db/sqlite_database.hpp"

#include <poll.h>
#include <sqlite3.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iterator>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "core/held_wakes.hpp"
#include "core/logging.hpp"
#include "db/group_commit.hpp"
#include "db/migrations.hpp"
#include "db/retry.hpp"
#include "db/sqlite_fts_rank.hpp"

namespace o4o::db {

namespace {

// $1 → ?1 outside string literals and quoted identifiers, so one SQL text serves both back-ends.
std::string to_sqlite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '?';
      continue;
    }
    out += c;
  }
  return out;
}

[[noreturn]] void raise(sqlite3* db, int rc, std::string_view context) {
  std::string msg = std::string(context) + ": " + sqlite3_errmsg(db);
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw RetryableError(msg);
  if (primary == SQLITE_INTERRUPT) throw TimeoutError(msg);
  if (primary == SQLITE_CONSTRAINT) {
    auto kind = ConstraintError::Kind::other;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
      kind = ConstraintError::Kind::unique;
    else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      kind = ConstraintError::Kind::foreign_key;
    else if (rc == SQLITE_CONSTRAINT_CHECK)
      kind = ConstraintError::Kind::check;
    else if (rc == SQLITE_CONSTRAINT_NOTNULL)
      kind = ConstraintError::Kind::not_null;
    // "UNIQUE constraint failed: users.email" → "users.email"
    std::string detail = sqlite3_errmsg(db);
    auto colon = detail.find(": ");
    throw ConstraintError(kind, colon == std::string::npos ? detail : detail.substr(colon + 2),
                          msg);
  }
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL ||
      primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    throw UnavailableError(msg);
  throw Error(msg);
}

// SQLite keeps memory statistics by default (SQLITE_CONFIG_MEMSTATUS), which takes a global
// mutex on every allocation and free it makes: a few dozen per order on the committer, and more
// on every reader. Nothing here reads those statistics. It can only be set before SQLite
// initializes (the first open does that), so once for the process, before any connection.
void configure_sqlite() noexcept {
  static const bool done = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if already initialized: harmless
    return true;
  }();
  (void)done;
}

class SqliteConnection final : public Connection {
 public:
  // `stopping` (the database's, outliving this) is Database::interrupt()'s flag.
  SqliteConnection(const std::string& path, bool read_only, int statement_timeout_ms,
                   const std::atomic<bool>& stopping)
      : timeout_(std::chrono::milliseconds(statement_timeout_ms)),
        lock_wait_(statement_timeout_ms > 0
                       ? std::min(kLockWait, std::chrono::milliseconds(statement_timeout_ms))
                       : kLockWait),
        stopping_(stopping) {
    configure_sqlite();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw UnavailableError("cannot open SQLite database " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    // The busy handler first: every later pragma may already have to wait for another process.
    sqlite3_busy_handler(db_, &wait_for_lock, this);
    // Two processes switching a fresh file to WAL at once deadlock on their shared locks, and
    // SQLite answers one of them SQLITE_BUSY at once instead of calling the busy handler.
    if (!read_only) with_retry([&] { exec_script("PRAGMA journal_mode = WAL"); });
    exec_script(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
        "PRAGMA cache_size = -16000;");
    if (read_only) exec_script("PRAGMA query_only = ON");
    register_fts_rank(db_);
    // The query deadline: SQLite calls this every 1,000 VM steps; past the deadline (or once the
    // database is interrupted) the statement stops with SQLITE_INTERRUPT. Scripts (migrations,
    // BEGIN/COMMIT) have no deadline.
    sqlite3_progress_handler(db_, 1000, &past_deadline, this);
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  // Counts the write transactions this connection begins to commit (SQLite calls the hook with
  // the write lock held, before the commit can be seen by anyone): core of telling this
  // process's commits from another's (SqliteDatabase::watch_other_processes).
  void count_commits(std::atomic<uint64_t>& counter) {
    sqlite3_commit_hook(
        db_,
        [](void* c) {
          static_cast<std::atomic<uint64_t>*>(c)->fetch_add(1);
          return 0;
        },
        &counter);
  }

  // PRAGMA data_version: changes when another connection has committed since the last call.
  std::optional<int64_t> data_version() noexcept {
    try {
      return query("PRAGMA data_version", {}).rows.at(0).i64(0);
    } catch (...) {
      return std::nullopt;
    }
  }

  // Each commit on this connection calls f with the log's length in frames, in place of SQLite's
  // own checkpoint once the log holds 1,000 frames (which the committing thread would run).
  void on_commit(std::function<void(int)> f) {
    after_commit_ = std::move(f);
    sqlite3_wal_hook(
        db_,
        [](void* self, sqlite3*, const char*, int frames) -> int {
          static_cast<SqliteConnection*>(self)->after_commit_(frames);
          return SQLITE_OK;
        },
        this);
  }

  // Copies what it can of the log into the database file without waiting for readers or the
  // writer (SQLITE_CHECKPOINT_PASSIVE; synced as synchronous=FULL says). Never throws: a failed
  // checkpoint leaves the log as it was and a later one tries again.
  void checkpoint() noexcept {
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }

  void exec_script(std::string_view sql) override {
    std::string text(sql);
    char* errmsg = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &errmsg);
    if (errmsg) sqlite3_free(errmsg);
    if (rc != SQLITE_OK) raise(db_, sqlite3_extended_errcode(db_), script_context(sql));
  }

  Result query(std::string_view sql, std::span<const Param> params) override {
    sqlite3_stmt* stmt = prepare(sql);
    // Reset even when binding or stepping throws, so the cached statement is reusable.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    struct Deadline {
      SqliteConnection& c;
      explicit Deadline(SqliteConnection& conn) : c(conn) {
        if (c.timeout_.count() > 0) c.deadline_ = std::chrono::steady_clock::now() + c.timeout_;
      }
      ~Deadline() { c.deadline_ = {}; }
    } deadline{*this};
    for (std::size_t i = 0; i < params.size(); ++i) bind(stmt, static_cast<int>(i + 1), params[i]);
    Result result;
    const int cols = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) raise(db_, sqlite3_extended_errcode(db_), "query");
      std::vector<Value> values;
      values.reserve(cols);
      for (int c = 0; c < cols; ++c) values.push_back(column(stmt, c));
      result.rows.emplace_back(std::move(values));
    }
    result.affected = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes(db_);
    return result;
  }

 private:
  // Names the failing script by its first line, so an operator can tell a pragma from a migration.
  static std::string script_context(std::string_view sql) {
    auto line = sql.substr(0, std::min(sql.find('\n'), std::size_t{60}));
    return "script \"" + std::string(line) + (line.size() < sql.size() ? "...\"" : "\"");
  }

  sqlite3_stmt* prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    if (cache_.size() > 512) {
      for (auto& [s, st] : cache_) sqlite3_finalize(st);
      cache_.clear();
    }
    std::string text = to_sqlite_placeholders(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) raise(db_, sqlite3_extended_errcode(db_), "prepare");
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, int i, const Param& p) {
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>)
            return sqlite3_bind_null(stmt, i);
          else if constexpr (std::is_same_v<T, int64_t>)
            return sqlite3_bind_int64(stmt, i, v);
          else if constexpr (std::is_same_v<T, double>)
            return sqlite3_bind_double(stmt, i, v);
          else if constexpr (std::is_same_v<T, bool>)
            return sqlite3_bind_int(stmt, i, v ? 1 : 0);
          else
            return sqlite3_bind_text(stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        },
        p.value());
    if (rc != SQLITE_OK) raise(db_, rc, "bind");
  }

  static Value column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, c));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, c);
      case SQLITE_NULL:
        return nullptr;
      default: {
        auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        return std::string(text ? text : "",
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      }
    }
  }

  static int past_deadline(void* self) {
    const auto& c = *static_cast<SqliteConnection*>(self);
    if (c.stopping_.load(std::memory_order_relaxed)) return 1;
    return c.deadline_ != std::chrono::steady_clock::time_point{} &&
           std::chrono::steady_clock::now() > c.deadline_;
  }

  // Another connection (often another process) holds the lock: wait with SQLite's own back-off
  // (1 ms growing to 100 ms) for at most lock_wait_ (5 s, or the query deadline when shorter),
  // and not at all once the database is interrupted. Returning 0 answers SQLITE_BUSY.
  static int wait_for_lock(void* self, int count) {
    auto& c = *static_cast<SqliteConnection*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (count == 0) c.busy_since_ = now;
    if (c.stopping_.load(std::memory_order_relaxed) || now - c.busy_since_ >= c.lock_wait_)
      return 0;
    static constexpr int kDelays[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
    const int ms = count < static_cast<int>(std::size(kDelays)) ? kDelays[count] : 100;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return 1;
  }

  static constexpr std::chrono::milliseconds kLockWait{5000};

  sqlite3* db_ = nullptr;
  std::function<void(int)> after_commit_;
  // Looked up by the caller's text as it is (no copy of a statement's text per query).
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point deadline_{};  // of the running query; none when zero
  std::chrono::milliseconds lock_wait_;
  std::chrono::steady_clock::time_point busy_since_{};
  const std::atomic<bool>& stopping_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, int readers, int statement_timeout_ms)
      : path_(path), timeout_(statement_timeout_ms) {
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) throw UnavailableError("cannot create " + parent.string() + ": " + ec.message());
    }
    writer_ = std::make_unique<SqliteConnection>(path, false, statement_timeout_ms, stopping_);
    checkpointer_ = std::make_unique<SqliteConnection>(path, false, 0, stopping_);
    writer_->on_commit([this](int frames) { after_commit(frames); });
    for (int i = 0; i < std::max(1, readers); ++i) {
      readers_.push_back(
          std::make_unique<SqliteConnection>(path, true, statement_timeout_ms, stopping_));
      free_.push_back(readers_.back().get());
    }
  }

  ~SqliteDatabase() override {
    stop_watching();
    stop_checkpoints();
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  // The readers' pool, and the one writer: busy while a write transaction (or a group commit)
  // holds it, its waiters the callers queued behind it.
  PoolStats pool_stats() override {
    PoolStats stats;
    stats.group_commit_queued = static_cast<int64_t>(group_.depth());
    stats.group_commit_reruns = static_cast<int64_t>(group_.reruns());
    {
      std::lock_guard lock(pool_mutex_);
      stats.idle = static_cast<int64_t>(free_.size());
      stats.in_use = static_cast<int64_t>(readers_.size()) - stats.idle;
      stats.waiters = read_waiters_;
    }
    std::unique_lock writer(write_mutex_, std::try_to_lock);
    (writer.owns_lock() ? stats.idle : stats.in_use) += 1;
    stats.waiters += write_waiters_.load();
    return stats;
  }

  // Another process's commit is found by a connection of the watcher's own, whose PRAGMA
  // data_version changes with every commit but its own: this process's writer's commits (counted
  // by a commit hook) are told apart. The watcher never waits for the writer, which may itself be
  // waiting for the other process's lock (that cost a 20 ms poll 100+ ms before).
  void watch_other_processes(std::function<void()> f) override {
    std::lock_guard lock(watch_mutex_);
    if (!f) return stop_watching_locked();
    if (watcher_.joinable()) return;
    auto conn = std::make_unique<SqliteConnection>(path_, true, 0, stopping_);
    {
      std::lock_guard writer(write_mutex_);
      std::lock_guard versions(version_mutex_);
      other_commit_ = std::move(f);
      watch_conn_ = std::move(conn);
      writer_->count_commits(commits_begun_);
      commits_settled_ = commits_begun_.load();
      writer_version_ = writer_->data_version();
      watch_version_ = watch_conn_->data_version();
      watching_ = true;
    }
    stopping_watch_ = false;
    stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    watcher_ = std::thread([this] { watch_loop(); });
  }

  void migrate() override {
    std::lock_guard lock(write_mutex_);
    // No deadline: waiting for another process's migration is part of starting.
    with_retry([&] { attempt_transaction([&] { apply_migrations(*writer_); }); });
  }

  void interrupt() noexcept override { stopping_ = true; }

  void close() noexcept override {
    stop_watching();
    group_.stop();
    stop_checkpoints();
    std::lock_guard lock(write_mutex_);
    // A clean checkpoint leaves a self-contained database file behind.
    try {
      writer_->exec_script("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (...) {
    }
  }

 protected:
  void run_read(const std::function<void(Connection&)>& f) override {
    SqliteConnection* c = nullptr;
    {
      std::unique_lock lock(pool_mutex_);
      if (free_.empty()) {
        ++read_waiters_;
        pool_cv_.wait(lock, [&] { return !free_.empty(); });
        --read_waiters_;
      }
      c = free_.back();
      free_.pop_back();
    }
    struct Return {
      SqliteDatabase* self;
      SqliteConnection* c;
      ~Return() {
        {
          std::lock_guard lock(self->pool_mutex_);
          self->free_.push_back(c);
        }
        self->pool_cv_.notify_one();
      }
    } give_back{this, c};
    f(*c);
  }

  void run_write(const std::function<void(Connection&)>& f) override {
    std::unique_lock lock(write_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) {
      ++write_waiters_;
      lock.lock();
      --write_waiters_;
    }
    in_transaction([&] { f(*writer_); });
  }

 public:
  void write_grouped(std::function<void(Connection&)> work,
                     std::function<void(std::exception_ptr)> done) override {
    group_.submit({std::move(work), std::move(done)});
  }

 private:
  // Whatever the writer did, once it is done (write_mutex_ held): settle_own_commits().
  struct Settle {
    SqliteDatabase& db;
    ~Settle() { db.settle_own_commits(); }
  };

  // Runs f in a write transaction on the writer (the caller holds write_mutex_): commits, or rolls
  // back and rethrows; busy errors roll back and run f again (db/retry.hpp), until the query
  // deadline: a write waiting for another process's lock holds its worker no longer than a
  // statement may.
  template <class F>
  void in_transaction(F&& f) {
    Settle settle{*this};
    with_retry([&] { attempt_transaction(f); }, give_up_after(std::chrono::steady_clock::now()));
    committed(*writer_);
  }
  template <class F>
  void attempt_transaction(F&& f) {
    writer_->forget_changes();
    writer_->exec_script("BEGIN IMMEDIATE");
    try {
      f();
      writer_->exec_script("COMMIT");
    } catch (...) {
      writer_->forget_changes();
      rollback();
      throw;
    }
  }
  // Waiting that began at `start` ends once the database is interrupted or the deadline passed.
  std::function<bool()> give_up_after(std::chrono::steady_clock::time_point start) {
    return [this, start] {
      return stopping_.load() ||
             (timeout_.count() > 0 && std::chrono::steady_clock::now() - start >= timeout_);
    };
  }

  void rollback() noexcept {
    try {
      writer_->exec_script("ROLLBACK");
    } catch (...) {
    }
  }

  const std::string path_;
  const std::chrono::milliseconds timeout_;
  std::atomic<bool> stopping_{false};  // before the connections, which refer to it

  // The watcher's look: has anyone but this process committed since the last? Under
  // version_mutex_, which the writer takes after its commits (settle_own_commits).
  void check_other_processes() noexcept {
    std::lock_guard versions(version_mutex_);
    const auto now = watch_conn_->data_version();
    if (!now || now == watch_version_) return;
    // A commit of this process's writer that is not settled yet may be among the changes: the
    // writer tells, after its commit, whether anyone else committed (settle_own_commits).
    if (commits_begun_.load() != commits_settled_) return;
    watch_version_ = now;
    notify_other_commit();
    // Keep the writer's count in step when it is free, so its next commit does not tell this
    // change again (if it is busy, it may: one clear too many).
    std::unique_lock writer(write_mutex_, std::try_to_lock);
    if (writer.owns_lock()) {
      if (auto v = writer_->data_version()) writer_version_ = v;
    }
  }

  // After the writer's work (write_mutex_ held): if it committed, the watcher's connection saw
  // that commit; take its view as the new base, and ask the writer, whose data_version changes only
  // with other connections' commits, whether another process committed since it last looked.
  void settle_own_commits() noexcept {
    if (!watching_) return;
    std::lock_guard versions(version_mutex_);
    if (!watching_) return;
    const auto begun = commits_begun_.load();
    if (begun == commits_settled_) return;
    // First the watcher's view, then the writer's: a commit of another process between the two
    // is told by the writer (and the watcher tells it once more).
    if (auto v = watch_conn_->data_version()) watch_version_ = v;
    const auto mine = writer_->data_version();
    if (mine && writer_version_ && mine != writer_version_) notify_other_commit();
    if (mine) writer_version_ = mine;
    commits_settled_ = begun;
  }

  void notify_other_commit() noexcept {
    if (!other_commit_) return;
    try {
      other_commit_();
    } catch (...) {
    }
  }

  void stop_watching() noexcept {
    std::lock_guard lock(watch_mutex_);
    stop_watching_locked();
  }

  // With watch_mutex_ held. Once it returns, f is not called any more (nor being called).
  void stop_watching_locked() noexcept {
    stopping_watch_ = true;
    if (watcher_.joinable()) {
      const uint64_t one = 1;
      if (::write(stop_fd_, &one, sizeof one) < 0) {
        // An eventfd's counter is far from full: cannot fail here.
      }
      watcher_.join();
    }
    if (stop_fd_ >= 0) ::close(stop_fd_);
    stop_fd_ = -1;
    std::lock_guard versions(version_mutex_);
    watching_ = false;
    other_commit_ = nullptr;
  }

  // Checkpoints off the commit path. SQLite's own would copy the log into the database file and
  // sync it on the committing thread, inside the COMMIT of every commit that finds 1,000 frames
  // in the log: the answers of a whole group waited for it (5 to 30 ms, once in some 20 batches;
  // bench/RESULTS.md). Here a thread of its own, on a connection of its own, does that copying
  // while the writer goes on committing (PASSIVE: no lock the writer needs). The log starts over
  // only when a write finds it all copied, which a steady stream of commits never lets the
  // background thread finish; so past kCheckpointInline frames the writer copies the rest
  // itself, as SQLite would have, only now the rest is what came in since the last background
  // checkpoint. Called on the writer's thread after each commit.
  void after_commit(int frames) {
    if (frames >= kCheckpointInline) {
      // Only one checkpoint runs at a time: a PASSIVE one started while the background thread's
      // is under way returns at once having copied nothing, and the log kept growing (seen on a
      // loaded machine). So the writer waits for that one to end and then copies the rest.
      std::lock_guard copying(copying_mutex_);
      writer_->checkpoint();
      return;
    }
    if (frames < kCheckpointFrames) {
      asked_at_ = 0;  // the log started over
      return;
    }
    // Asked again only once the log has grown kCheckpointStep frames since: asked after every
    // commit, the background thread ran (and synced the database file) once per commit, copying
    // the same hot pages (the product's row, the indexes' last pages) again each time.
    if (asked_at_ != 0 && frames >= asked_at_ && frames < asked_at_ + kCheckpointStep) return;
    asked_at_ = frames;
    {
      std::lock_guard lock(checkpoint_mutex_);
      if (checkpoint_stop_) return;
      checkpoint_wanted_ = true;
      // The thread starts with the first log long enough: a process that writes little never
      // has one.
      if (!checkpoint_thread_.joinable())
        checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
    }
    checkpoint_cv_.notify_one();
  }

  void checkpoint_loop() {
    std::unique_lock lock(checkpoint_mutex_);
    for (;;) {
      checkpoint_cv_.wait(lock, [&] { return checkpoint_stop_ || checkpoint_wanted_; });
      if (checkpoint_stop_) return;
      checkpoint_wanted_ = false;
      lock.unlock();
      {
        std::lock_guard copying(copying_mutex_);
        checkpointer_->checkpoint();
      }
      lock.lock();
    }
  }

  void stop_checkpoints() noexcept {
    {
      std::lock_guard lock(checkpoint_mutex_);
      checkpoint_stop_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  }

  static constexpr int kCheckpointFrames = 1000;  // SQLite's default
  static constexpr int kCheckpointInline = 4000;  // 16 MB of 4 KiB pages
  // 4 MB of log between two asks: at 256 frames, orders (some 60 pages a batch) asked every 4
  // batches, and each run copied the same hot pages again; 1,024 gave 8-10 % more orders a second
  // (bench/RESULTS.md, 2026-12-06 22:45).
  static constexpr int kCheckpointStep = 1024;
  int asked_at_ = 0;  // the log's length when a checkpoint was last asked for; the writer's
  std::unique_ptr<SqliteConnection> checkpointer_;
  std::mutex checkpoint_mutex_;
  std::mutex copying_mutex_;  // held while a checkpoint copies the log, by either thread
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool checkpoint_stop_ = false;
  std::thread checkpoint_thread_;

  // Sleeps until someone writes to the WAL file (inotify), then looks (check_other_processes),
  // and looks again every kFollowEvery while another process holds the WAL write lock: its
  // commit can be seen only once it is durable, after its fsync, and it releases the lock only
  // after that. So nothing wakes the watcher while no one writes (it used to look 50 times a
  // second), and a commit is seen within milliseconds of being durable. It also looks every
  // kIdleLook whatever happens, in case a write went unnoticed (a pid namespace that hides the
  // writer). Without inotify or /proc/locks it looks every kWatchEvery.
  void watch_loop() {
    const int wal_writes = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    struct stat shm {};
    const bool evented = wal_writes >= 0 && stop_fd_ >= 0 &&
                         ::inotify_add_watch(wal_writes, (path_ + "-wal").c_str(), IN_MODIFY) >= 0 &&
                         ::stat((path_ + "-shm").c_str(), &shm) == 0 &&
                         wal_write_lock(shm.st_ino).has_value();
    if (!evented)
      core::log::info("watching the SQLite file for other processes' writes by looking every 20 ms",
                      {{"reason", "no inotify watch on its WAL file, or no /proc/locks"}});
    uint64_t own_seen = commits_begun_.load();
    for (;;) {
      bool follow = false;
      if (evented) {
        char events[4096];
        while (::read(wal_writes, events, sizeof events) > 0) {
        }
        // While this process's writer commits, the WAL's writes are mostly its own, and it tells
        // another process's commit itself after each of its own (settle_own_commits): looking
        // at every one of its commits cost a wake-up, a read of /proc/locks and a query each.
        // So while it keeps committing the watcher only checks every kBusyLook that it still
        // does; once it has gone quiet, it looks as before (at most kBusyLook late).
        if (const auto begun = commits_begun_.load(); begun != own_seen) {
          own_seen = begun;
          pollfd stop = {stop_fd_, POLLIN, 0};
          if (::poll(&stop, 1, static_cast<int>(kBusyLook.count())) > 0) break;
          if (stopping_watch_.load()) break;
          continue;
        }
        // Asked before looking: a writer that holds no lock now has made its commit visible.
        follow = another_writer(shm.st_ino).value_or(true);
      }
      check_other_processes();
      const auto wait = !evented ? kWatchEvery : follow ? kFollowEvery : kIdleLook;
      pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {wal_writes, POLLIN, 0}};
      const int ready = ::poll(fds, evented && !follow ? 2 : 1, static_cast<int>(wait.count()));
      if (ready > 0 && (fds[0].revents & POLLIN)) break;
      if (stopping_watch_.load()) break;  // without an eventfd, within one wait
    }
    if (wal_writes >= 0) ::close(wal_writes);
  }

  // Whether a connection other than this process's writer holds the WAL write lock. This
  // process's own lock (POSIX locks are per process) is its writer's unless the writer is idle:
  // then it is another connection's (tests open two databases on one file in one process).
  std::optional<bool> another_writer(ino_t shm) {
    const auto holder = wal_write_lock(shm);
    if (!holder) return std::nullopt;
    if (*holder != Holder::this_process) return *holder == Holder::another_process;
    std::unique_lock writer(write_mutex_, std::try_to_lock);
    return writer.owns_lock();
  }

  enum class Holder { none, this_process, another_process };
  // Who holds the WAL write lock of the file whose -shm file is inode shm: SQLite's unix VFS
  // takes it as a POSIX lock on byte 120 of the -shm file (WAL_WRITE_LOCK, see SQLite's
  // walformat.html) from a write transaction's start until its commit is visible. Matched by
  // inode only: a lock on another file system's same inode costs a few looks too many. nullopt:
  // /proc/locks cannot be read.
  static std::optional<Holder> wal_write_lock(ino_t shm) {
    std::FILE* locks = std::fopen("/proc/locks", "re");
    if (!locks) return std::nullopt;
    const long self = static_cast<long>(::getpid());
    char line[512];
    Holder holder = Holder::none;
    while (holder == Holder::none && std::fgets(line, sizeof line, locks)) {
      if (std::strstr(line, "->")) continue;  // waiting for a lock, not holding one
      char type[16], start[24], end[24];
      long pid = 0;
      unsigned major = 0, minor = 0;
      unsigned long long inode = 0;
      if (std::sscanf(line, "%*d: %*s %*s %15s %ld %x:%x:%llu %23s %23s", type, &pid, &major,
                      &minor, &inode, start, end) != 7)
        continue;
      if (inode != shm || std::strcmp(type, "WRITE") != 0) continue;
      const auto first = std::strtoull(start, nullptr, 10);
      const auto last = std::strcmp(end, "EOF") == 0 ? ~0ULL : std::strtoull(end, nullptr, 10);
      if (first <= kWalWriteLockByte && kWalWriteLockByte <= last)
        holder = pid == self ? Holder::this_process : Holder::another_process;
    }
    std::fclose(locks);
    return holder;
  }

  static constexpr unsigned long long kWalWriteLockByte = 120;
  // How often the watcher looks: without inotify; while another process writes; in any case.
  static constexpr std::chrono::milliseconds kWatchEvery{20};
  static constexpr std::chrono::milliseconds kFollowEvery{2};
  static constexpr std::chrono::milliseconds kIdleLook{250};
  // How often the watcher checks that this process's writer is still committing (watch_loop).
  static constexpr std::chrono::milliseconds kBusyLook{5};
  std::mutex watch_mutex_;
  int stop_fd_ = -1;  // an eventfd: written once to stop the watcher
  std::atomic<bool> stopping_watch_{false};
  std::thread watcher_;
  std::function<void()> other_commit_;  // under version_mutex_
  std::unique_ptr<SqliteConnection> watch_conn_;  // read-only; under version_mutex_
  std::atomic<bool> watching_{false};
  std::atomic<uint64_t> commits_begun_{0};  // by the writer (its commit hook)
  std::mutex version_mutex_;                // after write_mutex_ when both are taken
  uint64_t commits_settled_ = 0;            // of commits_begun_, seen in watch_version_
  std::optional<int64_t> watch_version_;    // the watcher's data_version, all of it told
  std::optional<int64_t> writer_version_;   // the writer's (write_mutex_ and version_mutex_)

  std::unique_ptr<SqliteConnection> writer_;
  std::mutex write_mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<SqliteConnection*> free_;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  int64_t read_waiters_ = 0;  // under pool_mutex_
  std::atomic<int64_t> write_waiters_{0};
  // Last, so that it stops (running what is queued) before the connections close. One writer:
  // one committer, whose batch holds write_mutex_ as one write() does.
  GroupCommitQueue group_{kMaxGroup, [this](std::vector<GroupedWrite>& items) {
                            // The batch's answers wake their IO threads once it has given them
                            // all, after the writer is free (core/held_wakes.hpp).
                            core::HeldWakes wake_after;
                            std::lock_guard lock(write_mutex_);
                            Settle settle{*this};
                            run_group(*this, *writer_, "BEGIN IMMEDIATE", items, group_,
                                      give_up_after(std::chrono::steady_clock::now()));
                          }};
  static constexpr std::size_t kMaxGroup = 256;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, int readers,
                                      int statement_timeout_ms) {
  return std::make_unique<SqliteDatabase>(path, readers, statement_timeout_ms);
}

}  // namespace o4o::db
