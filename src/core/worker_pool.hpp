#pragma once
// The threads that run handlers off the IO threads. A worker that runs out of work may spin for a
// few microseconds before it sleeps (O4O_WORKER_SPIN_US), which saves a futex wake-up per request
// when cores are to spare; on two cores the spinning costs more than it saves, so it is off by
// default there (see bench/RESULTS.md).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace o4o::core {

class WorkerPool {
 public:
  struct Job {
    virtual ~Job() = default;
    virtual void run() = 0;
  };

  explicit WorkerPool(int threads, int spin_microseconds = 0);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  template <class F>
  void post(F&& f) {
    struct Impl final : Job {
      explicit Impl(F&& fn) : fn_(std::forward<F>(fn)) {}
      void run() override { fn_(); }
      std::decay_t<F> fn_;
    };
    push(std::make_unique<Impl>(std::forward<F>(f)));
  }
  // Lets queued jobs finish, then joins the threads.
  void stop();
  // Jobs waiting for a thread now (for /metrics).
  int queue_depth() const { return pending_.load(std::memory_order_relaxed); }

 private:
  void push(std::unique_ptr<Job> job);
  std::unique_ptr<Job> try_pop();
  void work();

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Job>> queue_;
  std::atomic<int> pending_{0};
  int sleepers_ = 0;
  bool stopping_ = false;
  int spin_us_;
  std::vector<std::thread> threads_;
};

}  // namespace o4o::core
