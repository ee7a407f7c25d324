#pragma once
// A background task of one instance: its own thread runs `tick` once `first_after` has passed,
// then every `interval`, until stop() or the destructor, with no request needed. A tick that
// returns true left work over (it took a bounded chunk) and runs again at once, unless a stop was
// asked for meanwhile. A tick that throws is logged (an unreachable database quietly) and tried
// again at the next interval. What a tick does must be safe to do on several instances at once:
// each has its own task.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace o4o::core {

class Periodic {
 public:
  Periodic(std::string name, std::chrono::milliseconds first_after,
           std::chrono::milliseconds interval, std::function<bool()> tick);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Returns once a tick under way has finished; no tick runs after it.
  void stop();

 private:
  void run(const std::stop_token& stop);

  std::string name_;
  std::chrono::milliseconds first_after_;
  std::chrono::milliseconds interval_;
  std::function<bool()> tick_;
  std::mutex mutex_;
  std::condition_variable_any cv_;
  std::jthread thread_;  // last: started once the rest is there
};

}  // namespace o4o::core
