#pragma once
// The background settlement loop of one instance: a thread that runs PaymentService::settle_once
// every second, or at once when woken. Several instances may run it together: every piece of
// work is claimed in the database first. Provider calls inside are bounded by their timeout, so
// stop() returns within one of them.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "services/payments/service.hpp"

namespace o4o::services::payments {

class Settlement {
 public:
  Settlement(std::shared_ptr<PaymentService> service, std::chrono::milliseconds interval);
  ~Settlement();
  Settlement(const Settlement&) = delete;
  Settlement& operator=(const Settlement&) = delete;

  void start();
  void stop();
  void wake();

 private:
  void run();

  std::shared_ptr<PaymentService> service_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace o4o::services::payments
