#pragma once
// A background task of one instance: its own thread runs `tick` once `first_after` has passed,
// then every `interval`, until stop() or the destructor, with no request needed; wake() runs it
// at once. The tick is given the task's stop token, so that a long one can leave the rest of its
// work for later when the task stops. A tick that returns true left work over (it took a bounded
// chunk) and runs again at once, unless a stop was asked for meanwhile. A tick that throws is
// logged (an unreachable database quietly) and tried again at the next interval. What a tick does
// must be safe to do on several instances at once: each has its own task (payment settlement, the
// mail sender, the idempotency purge).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace o4o::core {

class Periodic {
 public:
  Periodic(std::string name, std::chrono::milliseconds first_after,
           std::chrono::milliseconds interval, std::function<bool(const std::stop_token&)> tick);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Returns once a tick under way has finished; no tick runs after it.
  void stop();
  // Runs the tick now instead of at the end of the interval (again after it, if one is under way).
  void wake();

 private:
  void run(const std::stop_token& stop);

  std::string name_;
  std::chrono::milliseconds first_after_;
  std::chrono::milliseconds interval_;
  std::function<bool(const std::stop_token&)> tick_;
  std::mutex mutex_;
  std::condition_variable_any cv_;
  bool woken_ = false;   // under mutex_
  std::jthread thread_;  // last: started once the rest is there
};

}  // namespace o4o::core
