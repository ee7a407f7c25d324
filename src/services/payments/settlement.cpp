#include "services/payments/settlement.hpp"

#include "core/logging.hpp"
#include "db/database.hpp"

namespace o4o::services::payments {

Settlement::Settlement(std::shared_ptr<PaymentService> service, std::chrono::milliseconds interval)
    : service_(std::move(service)), interval_(interval) {}

Settlement::~Settlement() {
  stop();
}

void Settlement::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Settlement::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Settlement::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Settlement::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, interval_, [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
    try {
      // Work left over (a full batch) is taken up again at once.
      while (service_->settle_once() > 0) {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
    } catch (const db::UnavailableError&) {
      // The database is away; the next round tries again.
    } catch (const std::exception& e) {
      core::log::error("payment settlement failed", {{"error", e.what()}});
    }
  }
}

}  // namespace o4o::services::payments
