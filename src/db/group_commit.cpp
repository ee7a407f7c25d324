#include "db/group_commit.hpp"

#include "db/retry.hpp"

namespace o4o::db {

GroupCommitQueue::GroupCommitQueue(std::size_t max_batch, RunBatch run)
    : max_batch_(std::max<std::size_t>(1, max_batch)), run_(std::move(run)) {}

GroupCommitQueue::~GroupCommitQueue() {
  stop();
}

void GroupCommitQueue::submit(GroupedWrite item) {
  if (!item.trace && core::trace::current()) item.trace = *core::trace::current();
  {
    std::lock_guard lock(mutex_);
    if (!stopped_) {
      // The committer starts with the first grouped write: a process that never makes one
      // (a migration, a read-only instance) has no thread for it.
      if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
      queue_.push_back(std::move(item));
      cv_.notify_one();
      return;
    }
  }
  // Stopped: run it alone, on this thread.
  std::vector<GroupedWrite> one;
  one.push_back(std::move(item));
  run_(one);
}

void GroupCommitQueue::requeue(std::vector<GroupedWrite> items) {
  std::lock_guard lock(mutex_);
  for (auto it = items.rbegin(); it != items.rend(); ++it) queue_.push_front(std::move(*it));
}

std::size_t GroupCommitQueue::depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommitQueue::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

void GroupCommitQueue::loop() {
  for (;;) {
    std::vector<GroupedWrite> batch;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing is left
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    try {
      run_(batch);
    } catch (...) {
      // run_ tells each item itself; nothing may end the committer.
    }
  }
}

namespace {

void tell(GroupedWrite& item, std::exception_ptr e) noexcept {
  try {
    item.done(std::move(e));
  } catch (...) {
  }
}

void rollback(Connection& c) noexcept {
  c.forget_changes();
  try {
    c.exec_script("ROLLBACK");
  } catch (...) {
  }
}

}  // namespace

void run_group(Database& db, Connection& c, const std::string& begin,
               std::vector<GroupedWrite>& items, GroupCommitQueue& queue,
               const std::function<bool()>& give_up,
               const std::function<void(Connection&)>& after_commit) {
  const std::size_t n = items.size();
  // One work alone gains nothing from running without its savepoint.
  const bool savepoints = !(n > 1 && queue.speculation().without_savepoints());
  std::vector<std::exception_ptr> errors(n);
  std::vector<char> again(n, 0);
  c.forget_changes();
  // Busy at BEGIN IMMEDIATE (another process writes): wait as write() does; nothing ran yet.
  try {
    with_retry([&] { c.exec_script(savepoints ? begin + "; SAVEPOINT o4o_group" : begin); },
               give_up);
  } catch (...) {
    rollback(c);
    for (auto& item : items) tell(item, std::current_exception());
    return;
  }
  // The transaction as a whole can go on no more (a lost connection, a disk error).
  std::exception_ptr broken;
  // Work k failed with e: it alone is undone (to its savepoint, which stays open for the next).
  // False when the batch ended here (a work past the query deadline: the others run again).
  const auto failed = [&](std::size_t k, std::exception_ptr e) {
    // Without savepoints this work cannot be undone alone: nothing of the batch stays, and it all
    // runs again with a savepoint per work, where this one fails (or retries) by itself.
    const auto run_again_with_savepoints = [&] {
      rollback(c);
      queue.speculation().failed();
      queue.requeue(std::move(items));
      return false;
    };
    try {
      std::rethrow_exception(e);
    } catch (const TimeoutError&) {
      // Past the query deadline: this work alone is told so. An interrupted statement may have
      // taken the whole transaction with it (SQLite rolls back an interrupted write), so the
      // others run again, without it, in the next batch; nothing of theirs was committed.
      rollback(c);
      tell(items[k], e);
      std::vector<GroupedWrite> rest;
      for (std::size_t j = 0; j < n; ++j)
        if (j != k) rest.push_back(std::move(items[j]));
      if (!rest.empty()) queue.requeue(std::move(rest));
      return false;
    } catch (const UnavailableError&) {
      broken = e;
      return true;
    } catch (const RetryableError&) {
      if (!savepoints) return run_again_with_savepoints();
      again[k] = 1;
    } catch (...) {
      if (!savepoints) return run_again_with_savepoints();
      errors[k] = e;
    }
    try {
      c.exec_script("ROLLBACK TO SAVEPOINT o4o_group");
    } catch (...) {
      broken = std::current_exception();
    }
    return true;
  };
  for (std::size_t i = 0; i < n && !broken;) {
    std::exception_ptr own;
    try {
      {
        // Its log lines and its part of the shared transaction belong to its request's trace.
        std::optional<core::trace::Scope> in_request;
        if (items[i].trace) in_request.emplace(*items[i].trace);
        core::trace::Span span("db.transaction");
        span.attribute("db.group_commit.batch", static_cast<int64_t>(n));
        try {
          items[i].work(c);
        } catch (const EarlierWorkError&) {
          throw;
        } catch (...) {
          own = std::current_exception();
        }
        if (!own) {
          if (i + 1 < n) {
            // What it did stays, and the next work gets a fresh savepoint. Its deferred
            // statements, the release and the savepoint go out with the next statement that needs
            // an answer (PostgreSQL: one round trip per work at most; none of its own for a work
            // that only defers, so a batch of such works goes out in one pipeline); an error of
            // theirs comes back as EarlierWorkError, so it is still this work's own.
            if (savepoints) {
              c.exec_deferred("RELEASE SAVEPOINT o4o_group");
              c.exec_deferred("SAVEPOINT o4o_group");
            }
            c.hand_over_deferred();
          } else {
            c.flush();  // the last needs no RELEASE: COMMIT
          }
        } else {
          // Statements of the works before, handed over and still waiting (this one failed
          // before a statement of its own sent them), go first: an error of theirs is that
          // work's. This work's own waiting ones go too, and are undone with it.
          try {
            c.flush();
          } catch (const EarlierWorkError&) {
            throw;
          } catch (...) {
          }
        }
      }
    } catch (const EarlierWorkError& earlier) {
      // An earlier work failed, and nothing of the works after it ran (the server skipped their
      // statements): that one is undone and told; those after it run again, from the savepoint
      // that one had.
      const std::size_t k = i - earlier.back;
      if (!failed(k, earlier.cause)) return;
      i = k + 1;
      continue;
    } catch (...) {
      own = std::current_exception();  // the last work's flush, or the release on SQLite
    }
    if (own && !failed(i, own)) return;
    ++i;
  }
  if (!broken) {
    try {
      c.exec_script("COMMIT");
    } catch (const RetryableError&) {
      // Nothing was committed: the whole batch runs again.
      rollback(c);
      for (std::size_t i = 0; i < n; ++i) again[i] = !errors[i];
    } catch (...) {
      rollback(c);
      for (auto& item : items) tell(item, std::current_exception());
      return;
    }
  } else {
    rollback(c);
    // Nothing was committed. After a lost connection each work runs once more (the connection is
    // made again first); otherwise, and the second time, each is told why.
    std::vector<GroupedWrite> retry;
    bool lost = false;
    try {
      std::rethrow_exception(broken);
    } catch (const UnavailableError&) {
      lost = true;
    } catch (...) {
    }
    for (auto& item : items) {
      if (lost && !item.reconnected) {
        item.reconnected = true;
        retry.push_back(std::move(item));
      } else {
        tell(item, broken);
      }
    }
    if (!retry.empty()) queue.requeue(std::move(retry));
    return;
  }
  // Durable now: caches drop what it changed, then answer. Those that met busy or serialization
  // go into the next batch.
  db.committed(c);
  if (after_commit) after_commit(c);
  std::vector<GroupedWrite> retry;
  for (std::size_t i = 0; i < n; ++i) {
    if (!again[i]) {
      tell(items[i], errors[i]);
      continue;
    }
    if (++items[i].attempts >= kMaxAttempts) {
      tell(items[i], std::make_exception_ptr(RetryableError("write conflict: retries used up")));
      continue;
    }
    retry.push_back(std::move(items[i]));
  }
  if (!retry.empty()) queue.requeue(std::move(retry));
}

}  // namespace o4o::db
