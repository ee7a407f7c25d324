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
// The callers wait for nothing: they are told through their `done`, on the committer thread.
#include <condition_variable>
#include <cstddef>
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
  std::thread thread_;
};

// The body of a batch on connection c (the caller holds it for writing): `begin` opens the
// transaction ("BEGIN IMMEDIATE" on SQLite, "BEGIN" on PostgreSQL); give_up, asked while `begin`
// meets busy errors, ends the wait with a TimeoutError for every item (db/retry.hpp). db hears of
// the batch's change notes after the commit, before anyone is answered. after_commit, when set,
// runs on c once the commit succeeded and before anyone is told (PostgreSQL reads the WAL
// position there for read replicas); it must not throw.
void run_group(Database& db, Connection& c, const std::string& begin,
               std::vector<GroupedWrite>& items, GroupCommitQueue& queue,
               const std::function<bool()>& give_up,
               const std::function<void(Connection&)>& after_commit = {});

}  // namespace o4o::db
