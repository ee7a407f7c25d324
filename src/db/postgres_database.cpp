// PostgreSQL back-end: a pool of libpq connections to the primary (db/postgres_connection.hpp),
// broken connections re-established on next use, so that /readyz recovers without a restart;
// and, with read replicas configured, the reads of requests sent to them (db/replicas.hpp).
#include "db/postgres_database.hpp"

#include <atomic>
#include <exception>
#include <optional>

#include "core/held_wakes.hpp"
#include "db/group_commit.hpp"
#include "db/migrations.hpp"
#include "db/postgres_connection.hpp"
#include "db/replicas.hpp"
#include "db/retry.hpp"
#include "db/session.hpp"

namespace o4o::db {

namespace {

constexpr std::string_view kWalPosition = "SELECT pg_current_wal_lsn()::text";

// The primary's WAL position now, read on c right after a commit (so at or past the commit's
// record); nullopt when it cannot be read.
std::optional<Lsn> wal_position(PgConnection& c) noexcept {
  try {
    auto row = c.query_one(kWalPosition);
    if (row && !row->is_null(0)) return parse_lsn(row->str(0));
  } catch (...) {
  }
  return std::nullopt;
}

// The position of the batch the committer thread committed last, for the writes it answers.
thread_local std::optional<Lsn> t_batch_position;

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(const std::string& url, const OpenOptions& options)
      : primary_(pg_conninfo(url, options), options.pool_size, stopping_) {
    // Fail at start, with one line, when the server cannot be reached at all.
    primary_.connect_one();
    if (!options.replica_urls.empty())
      replicas_ = std::make_unique<ReplicaSet>(url, options, stopping_);
  }

  Dialect dialect() const override { return Dialect::postgres; }

  PoolStats pool_stats() override {
    auto stats = primary_.stats();
    stats.group_commit_queued = static_cast<int64_t>(group_.depth());
    stats.group_commit_reruns = static_cast<int64_t>(group_.reruns());
    return stats;
  }

  ReplicaStats replica_stats() override { return replicas_ ? replicas_->stats() : ReplicaStats{}; }

  void migrate() override {
    primary_.with_connection([&](PgConnection& c) {
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
      // No replica serves a read before it has the schema this process runs on.
      if (replicas_) replicas_->require(wal_position(c).value_or(~Lsn{0}));
    });
  }

  std::optional<std::vector<Result>> read_at_once(std::span<const Query> queries) override {
    if (Session* s = Session::current(); s && replicas_) {
      if (auto out = replicas_->try_read_at_once(*s, queries)) return out;
    }
    return primary_.read_at_once(queries);
  }

  void interrupt() noexcept override {
    stopping_ = true;
    primary_.cancel_all();
    if (replicas_) replicas_->interrupt();
  }

  void close() noexcept override {
    group_.stop();
    if (replicas_) replicas_->stop();
    primary_.close();
  }

 protected:
  void run_read(const std::function<void(Connection&)>& f) override {
    if (Session* s = Session::current(); s && replicas_ && replicas_->try_read(*s, f)) return;
    run_read_primary(f);
  }

  void run_read_primary(const std::function<void(Connection&)>& f) override {
    primary_.with_connection([&](PgConnection& c) { f(c); });
  }

  void run_write(const std::function<void(Connection&)>& f) override {
    Session* s = replicas_ ? Session::current() : nullptr;
    std::optional<Lsn> position;
    primary_.with_connection([&](PgConnection& c) {
      in_transaction(c, [&] { f(c); });
      if (s) position = wal_position(c);
    });
    if (s) replicas_->remember(*s, position);
  }

 public:
  void write_grouped(std::function<void(Connection&)> work,
                     std::function<void(std::exception_ptr)> done) override {
    Session* s = replicas_ ? Session::current() : nullptr;
    std::shared_ptr<Session> session = s ? s->weak_from_this().lock() : nullptr;
    if (session) {
      // Told on the committer thread right after the batch's commit: the request's user and
      // address read from the primary until a replica has replayed it.
      done = [this, session, done = std::move(done)](std::exception_ptr error) {
        if (!error) replicas_->remember(*session, t_batch_position);
        done(std::move(error));
      };
    }
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

  // One batch of grouped writes on one connection. At most 64 a batch: each savepoint that writes
  // is a subtransaction, and PostgreSQL keeps 64 of them per backend in shared memory before
  // every other snapshot gets slower. One committer: two batches on one hot row would only wait
  // for each other, and two that lock rows in different orders could deadlock (found only after
  // deadlock_timeout).
  void run_batch(std::vector<GroupedWrite>& items) {
    // The batch's answers wake their IO threads once it has given them all, after the connection
    // is back in the pool (core/held_wakes.hpp), as on SQLite: a woken IO thread no longer takes
    // the CPU from the committer between two answers.
    core::HeldWakes wake_after;
    try {
      primary_.with_connection([&](PgConnection& c) {
        std::function<void(Connection&)> after_commit;
        if (replicas_) after_commit = [&c](Connection&) { t_batch_position = wal_position(c); };
        run_group(
            *this, c, "BEGIN", items, group_, [this] { return stopping_.load(); }, after_commit);
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
  PgPool primary_;
  std::unique_ptr<ReplicaSet> replicas_;
  GroupCommitQueue group_{64, [this](std::vector<GroupedWrite>& items) { run_batch(items); }};
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const OpenOptions& options) {
  return std::make_unique<PostgresDatabase>(url, options);
}

}  // namespace o4o::db
