#pragma once
// Group commit: write transactions that arrive together share one commit, so that one fsync
// (SQLite synchronous=FULL, PostgreSQL synchronous_commit on) makes many of them durable.
//
// A committer thread takes what is queued (at most a batch), opens one transaction, runs each
// work inside its own savepoint (a work that throws rolls back to it alone and keeps its own
// error), commits once, and only then tells every work how it ended. A work's deferred statements
// (Connection::exec_deferred) run before its savepoint is released, so their errors are its own;
// on PostgreSQL the release and the next savepoint travel with the works' own statements instead
// of costing round trips of their own, and works that only defer statements (they need no answer)
// go out together, a batch of them in one round trip; when one of them fails, the works after it
// run again. Busy, serialization and deadlock errors put the work back
// in the queue for the next batch (bounded, as write() is). A work whose statement runs past the
// query deadline is told so (TimeoutError) and the rest of its batch runs again without it.
// A batch first runs without the savepoints, and again with them only when one of its works
// fails (Speculation below): what each work is told is the same either way.
// The callers wait for nothing: they are told through their `done`, on the committer thread.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "db/database.hpp"

namespace o4o::db {

struct GroupedWrite {
  std::function<void(Connection&)> work;
  std::function<void(std::exception_ptr)> done;
  int attempts = 0;
  bool reconnected = false;  // already run again once after a lost connection
  // The trace of the request that queued it (taken by submit): the work runs on the committer
  // thread, in that trace, as a span of its own.
  std::optional<core::trace::Context> trace;
};

// Whether the next batch runs its works without a savepoint each (the committer thread's own, so
// unlocked). On SQLite a savepoint per work cost the committer about a tenth of an order (the
// savepoint's open and release, and a copy of each page the work then changes); on PostgreSQL
// two statements and a subtransaction per order. Yet nearly every batch has no work that fails.
// So a batch of several works first runs them one after the other in its transaction, with no
// savepoint of their own. If one of them fails, the whole batch is rolled back (nothing of it was
// committed or told) and runs again with a savepoint per work, where the failing one alone is
// undone and told its own error, as before; and so do the next kCareful batches, so that a steady
// stream of failing works costs a second run in at most one batch of kCareful + 1. Works are run
// again anyway (busy, the query deadline), so they may not count on running once.
class Speculation {
 public:
  // True: the batch may run without savepoints.
  bool without_savepoints() {
    if (careful_left_ == 0) return true;
    --careful_left_;
    return false;
  }
  void failed() {
    careful_left_ = kCareful;
    reruns_.fetch_add(1, std::memory_order_relaxed);
  }
  // Batches run again with savepoints since the start (/metrics; read on any thread).
  uint64_t reruns() const { return reruns_.load(std::memory_order_relaxed); }
  static constexpr int kCareful = 16;

 private:
  int careful_left_ = 0;
  std::atomic<uint64_t> reruns_{0};
};

class GroupCommitQueue {
 public:
  // Runs one batch in one transaction; calls every item's done or hands it back through
  // requeue(). Called on the committer thread only.
  using RunBatch = std::function<void(std::vector<GroupedWrite>&)>;

  GroupCommitQueue(std::size_t max_batch, RunBatch run);
  ~GroupCommitQueue();
  GroupCommitQueue(const GroupCommitQueue&) = delete;
  GroupCommitQueue& operator=(const GroupCommitQueue&) = delete;

  void submit(GroupedWrite item);
  // Puts items back at the front, for the next batch (from inside RunBatch).
  void requeue(std::vector<GroupedWrite> items);
  // Writes waiting for the committer now (for /metrics).
  std::size_t depth() const;
  // Whether its batches may run without a savepoint per work: the committer's (run_group's).
  Speculation& speculation() { return speculation_; }
  // Batches run again with a savepoint per work since the start (for /metrics; any thread).
  uint64_t reruns() const { return speculation_.reruns(); }
  // Runs what is queued, then stops the committer; later submits run at once on the caller.
  void stop() noexcept;

 private:
  void loop();

  const std::size_t max_batch_;
  RunBatch run_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<GroupedWrite> queue_;
  bool stopping_ = false;
  bool stopped_ = false;
  Speculation speculation_;
  std::thread thread_;
};

// The body of a batch on connection c (the caller holds it for writing): `begin` opens the
// transaction ("BEGIN IMMEDIATE" on SQLite, "BEGIN" on PostgreSQL); give_up, asked while `begin`
// meets busy errors, ends the wait with a TimeoutError for every item (db/retry.hpp). db hears of
// the batch's change notes after the commit, before anyone is answered. after_commit, when set,
// runs on c once the commit succeeded and before anyone is told (PostgreSQL reads the WAL
// position there for read replicas); it must not throw. A batch of several works may first run
// without a savepoint per work (the queue's Speculation).
void run_group(Database& db, Connection& c, const std::string& begin,
               std::vector<GroupedWrite>& items, GroupCommitQueue& queue,
               const std::function<bool()>& give_up,
               const std::function<void(Connection&)>& after_commit = {});

}  // namespace o4o::db
