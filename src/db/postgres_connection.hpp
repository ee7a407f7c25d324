#pragma once
// A libpq connection (each statement prepared once per connection, a broken connection made again
// on next use) and a pool of them. The primary and each read replica have a pool of their own.
#include <libpq-fe.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "db/database.hpp"

namespace o4o::db {

class PgConnection final : public Connection {
 public:
  // `stopping` (the database's, outliving this) is Database::interrupt()'s flag.
  PgConnection(std::string conninfo, const std::atomic<bool>& stopping)
      : conninfo_(std::move(conninfo)), stopping_(stopping) {}
  ~PgConnection() override { disconnect(); }

  Dialect dialect() const override { return Dialect::postgres; }

  // Connects when not connected or when the connection went bad.
  void ensure();
  bool healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }
  void disconnect();
  // True once after each new connection (ensure() made one): a replica's read checks the replay
  // position of a new connection before trusting it.
  bool take_fresh() { return std::exchange(fresh_, false); }

  void exec_script(std::string_view sql) override;
  Result query(std::string_view sql, std::span<const Param> params) override;
  void exec_deferred(std::string_view sql, std::span<const Param> params) override;
  void flush() override;
  // Also sends what is deferred so far (without a sync): the server works on a batch's first
  // orders while the committer still prepares the next ones, instead of waiting for the whole
  // batch. Their results are read, and their errors thrown, as before: by the next statement
  // that needs an answer, or the next flush.
  void hand_over_deferred() override;

  // Sends a statement without waiting for its result: the server works on it while this thread
  // goes on; receive() collects it. One statement in flight per connection.
  void send(std::string_view sql, std::span<const Param> params);
  // Asks the server to end the statement this connection runs now, if any (57014: TimeoutError);
  // from any thread.
  void cancel() noexcept;
  // A statement was sent and its result not yet received.
  bool busy() const { return busy_; }
  // The result of the statement sent last; reads until libpq has no more, so the connection is
  // ready for the next statement even when this one failed.
  Result receive();

 private:
  // A prepared statement's name and its parameters as text (nullopt: NULL).
  struct Call {
    std::string name;
    std::vector<std::optional<std::string>> params;
  };
  Call call(std::string_view sql, std::span<const Param> params);
  bool send_call(const Call& c);
  // Sends the deferred statements and then `last` (if any) in one pipeline with one sync, reads
  // every result, and throws the first error (as EarlierWorkError when it was one of those
  // handed over); returns last's result.
  Result run_pipeline(const Call* last);
  const std::string& prepare(std::string_view sql);
  void run_plain(const std::string& sql);
  void check(PGresult* res, std::string_view context);
  Result result_of(PGresult* res);

  std::string conninfo_;
  const std::atomic<bool>& stopping_;
  PGconn* conn_ = nullptr;
  std::mutex cancel_mutex_;  // guards cancel_, which cancel() uses from other threads
  PGcancel* cancel_ = nullptr;
  bool busy_ = false;
  bool fresh_ = false;
  std::unordered_map<std::string, std::string> prepared_;
  std::vector<Call> deferred_;
  // Deferred statements already sent, in an open pipeline (hand_over_deferred), ahead of those
  // in deferred_; their results are still to be read.
  std::size_t sent_early_ = 0;
  // Where each earlier work's statements end, counted from the first statement sent early (or
  // the first in deferred_), oldest first: the statements before handed_over_[0] are the oldest
  // work's, and so on; the rest, the current's.
  std::vector<std::size_t> handed_over_;
  // Deferred statements waiting, sent or not.
  bool pending() const { return sent_early_ > 0 || !deferred_.empty(); }
};

// The libpq connection string for url: the connect timeout, the application name and the query
// deadline (Open options' statement_timeout_ms) as the session default.
std::string pg_conninfo(const std::string& url, const OpenOptions& options);

class PgPool {
 public:
  PgPool(const std::string& conninfo, int size, const std::atomic<bool>& stopping);

  Database::PoolStats stats();

  // Lends a connection; a connection found broken (the server restarted) is re-established and
  // the work tried once more, since nothing of it can have been committed. Waits up to 10 s for a
  // free connection (UnavailableError after).
  template <class G>
  void with_connection(G&& g) {
    PgConnection* c = take();
    struct Return {
      PgPool* self;
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

  // Database::read_at_once on this pool's connections; nullopt also when fresh_ok refuses one of
  // them that was connected just now.
  std::optional<std::vector<Result>> read_at_once(
      std::span<const Query> queries, const std::function<bool(PgConnection&)>& fresh_ok = {});

  // Connects the first connection now (to fail at start with one line).
  void connect_one() { conns_.front()->ensure(); }
  void close() noexcept;
  // Cancels what every connection runs now (Database::interrupt()).
  void cancel_all() noexcept;

 private:
  PgConnection* take();
  void give_back(PgConnection* c);

  // All of n connections, taken only when the pool is idle (nothing lent, n free) and each is
  // connected or connectable; given back when this goes out of scope. False when not taken.
  class Idle {
   public:
    Idle(PgPool& pool, std::size_t n);
    ~Idle() { release(); }
    Idle(const Idle&) = delete;
    Idle& operator=(const Idle&) = delete;
    explicit operator bool() const { return !taken_.empty(); }
    std::size_t size() const { return taken_.size(); }
    PgConnection& operator[](std::size_t i) { return *taken_[i]; }

   private:
    void release();
    PgPool& pool_;
    std::vector<PgConnection*> taken_;
  };

  std::vector<std::unique_ptr<PgConnection>> conns_;
  std::vector<PgConnection*> free_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int64_t waiters_ = 0;  // callers in take() waiting for a free connection
};

}  // namespace o4o::db
