#include "core/worker_pool.hpp"

#include <chrono>

#include "core/logging.hpp"

namespace o4o::core {

namespace {
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
}  // namespace

WorkerPool::WorkerPool(int threads, int spin_microseconds) : spin_us_(spin_microseconds) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void WorkerPool::push(std::unique_ptr<Job> job) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
    pending_.fetch_add(1, std::memory_order_release);
    wake = sleepers_ > 0;
  }
  if (wake) cv_.notify_one();
}

std::unique_ptr<WorkerPool::Job> WorkerPool::try_pop() {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) return nullptr;
  auto job = std::move(queue_.front());
  queue_.pop_front();
  pending_.fetch_sub(1, std::memory_order_relaxed);
  return job;
}

void WorkerPool::work() {
  using clock = std::chrono::steady_clock;
  for (;;) {
    std::unique_ptr<Job> job = try_pop();
    if (!job && spin_us_ > 0) {
      // Watch the counter, not the lock, while spinning.
      const auto until = clock::now() + std::chrono::microseconds(spin_us_);
      while (!job && clock::now() < until) {
        for (int i = 0; i < 64 && pending_.load(std::memory_order_acquire) == 0; ++i) cpu_relax();
        if (pending_.load(std::memory_order_acquire) > 0) job = try_pop();
      }
    }
    if (!job) {
      std::unique_lock lock(mutex_);
      ++sleepers_;
      cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      --sleepers_;
      if (queue_.empty()) return;  // stopping, and nothing left to do
      job = std::move(queue_.front());
      queue_.pop_front();
      pending_.fetch_sub(1, std::memory_order_relaxed);
    }
    try {
      job->run();
    } catch (const std::exception& e) {
      log::error("worker job failed", {{"error", e.what()}});
    } catch (...) {
      log::error("worker job failed");
    }
  }
}

}  // namespace o4o::core
