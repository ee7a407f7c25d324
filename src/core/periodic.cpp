#include "core/periodic.hpp"

#include "core/logging.hpp"
#include "db/database.hpp"

namespace o4o::core {

Periodic::Periodic(std::string name, std::chrono::milliseconds first_after,
                   std::chrono::milliseconds interval,
                   std::function<bool(const std::stop_token&)> tick)
    : name_(std::move(name)),
      first_after_(first_after),
      interval_(interval),
      tick_(std::move(tick)),
      thread_([this](const std::stop_token& stop) { run(stop); }) {}

Periodic::~Periodic() {
  stop();
}

void Periodic::stop() {
  thread_.request_stop();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Periodic::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Periodic::run(const std::stop_token& stop) {
  for (auto wait = first_after_;; wait = interval_) {
    {
      std::unique_lock lock(mutex_);
      // Wakes early for wake() or a stop (the stop token's own).
      cv_.wait_for(lock, stop, wait, [this] { return woken_; });
      woken_ = false;
    }
    if (stop.stop_requested()) return;
    try {
      while (!stop.stop_requested() && tick_(stop)) {
      }
    } catch (const db::UnavailableError&) {
      // The database is away; the next interval tries again.
    } catch (const std::exception& e) {
      log::error("background task failed", {{"task", name_}, {"error", e.what()}});
    }
  }
}

}  // namespace o4o::core
