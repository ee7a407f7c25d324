#pragma once
// PostgreSQL read replicas: which reads a replica may serve, and the replicas' health.
//
// A request's reads (Database::read with a db::Session in scope) go to a replica that is up, has
// replayed the WAL to within the lag limit, and has replayed every position the request must see:
//   - the primary's position when migrations ended (the schema the server runs on),
//   - the client's O4O-Read-After (what it saw written, possibly through another instance),
//   - what the request's user or address wrote recently through this instance (remembered here
//     for the lag limit and a margin; after that any replica within the limit has replayed it).
// When no replica qualifies, or a read on one fails, the read runs on the primary. Writes and the
// reads inside write transactions always run on the primary.
//
// Health: a thread samples the primary's WAL position every 50 ms; a thread per replica asks for
// its replay position every check interval and measures its lag as the time since the primary
// first reached a position the replica has not replayed yet (so an idle primary is no lag, and
// no two clocks are compared). A replica that fails, lags past the limit, or has not been checked
// for a while serves no reads until a check finds it well again.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "db/database.hpp"
#include "db/postgres_connection.hpp"
#include "db/session.hpp"

namespace o4o::db {

class ReplicaSet {
 public:
  // primary_url: the primary's URL (for sampling its WAL position on a connection of its own).
  // stopping: the database's Database::interrupt() flag (outliving this).
  ReplicaSet(const std::string& primary_url, const OpenOptions& options,
             const std::atomic<bool>& stopping);
  ~ReplicaSet();
  ReplicaSet(const ReplicaSet&) = delete;
  ReplicaSet& operator=(const ReplicaSet&) = delete;

  // Runs f on a replica for session s when one may serve it and returns true; false when the read
  // must run on the primary (f may have run part way on a replica that failed meanwhile).
  bool try_read(Session& s, const std::function<void(Connection&)>& f);
  // Database::read_at_once on a replica that may serve s without asking it first; nullopt when
  // none may or the replica's pool is not idle.
  std::optional<std::vector<Result>> try_read_at_once(Session& s, std::span<const Query> queries);

  // A write of session s committed and the primary's WAL reached lsn (unknown: nullopt, then the
  // session's keys read from the primary until they are forgotten).
  void remember(Session& s, std::optional<Lsn> lsn);
  // Every read must see at least lsn from now on (the end of the migrations).
  void require(Lsn lsn);

  Database::ReplicaStats stats();
  // Cancels the statements the replicas run now (Database::interrupt()).
  void interrupt() noexcept;
  void stop() noexcept;

 private:
  using Clock = std::chrono::steady_clock;
  enum class State { starting, ok, lagging, down };
  struct Replica {
    int index = 0;
    std::string host;
    std::string conninfo;
    std::unique_ptr<PgPool> pool;
    std::mutex mutex;  // guards state, lag_ms, checked_at
    State state = State::starting;
    std::optional<int64_t> lag_ms;
    Clock::time_point checked_at{};  // the last check that found it well
    std::atomic<Lsn> replayed{0};    // the highest replay position seen
    std::atomic<int64_t> reads{0};
    std::thread checker;
  };

  // Usable replicas now (ok and checked lately), starting at the next in turn.
  std::vector<Replica*> usable();
  // What s must see.
  Lsn needed_by(Session& s);
  void set_state(Replica& r, State next, std::optional<int64_t> lag_ms, bool checked);
  void sample_loop();
  void check_loop(Replica& r);
  // Time since the primary first reached a position after `replayed`; nullopt before any sample.
  std::optional<int64_t> lag_of(Lsn replayed, Clock::time_point now);
  void forget_old();
  // Waits up to d unless stopping; false when stopping.
  bool pause(std::chrono::milliseconds d);

  const std::atomic<bool>& interrupted_;
  const std::chrono::milliseconds max_lag_;
  const std::chrono::milliseconds check_every_;
  const std::chrono::milliseconds remember_for_;
  std::string primary_conninfo_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  std::atomic<std::size_t> turn_{0};
  std::atomic<Lsn> floor_{0};

  std::mutex samples_mutex_;
  std::deque<std::pair<Clock::time_point, Lsn>> samples_;  // the primary's WAL position over time

  struct Recent {
    Lsn lsn = 0;
    Clock::time_point at;
  };
  std::mutex recent_mutex_;
  std::unordered_map<std::string, Recent> recent_;  // by session key

  std::atomic<int64_t> fallback_recent_write_{0}, fallback_unavailable_{0}, fallback_error_{0};

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread sampler_;
};

}  // namespace o4o::db
