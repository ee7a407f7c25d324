#pragma once
// The HTTP/1.1 server on Boost.Beast: one io_context per IO thread, a coroutine per connection,
// handlers on worker pools, bounded reads, and a graceful stop.
#include <functional>
#include <memory>

#include "core/config.hpp"
#include "core/dispatch.hpp"
#include "core/metrics.hpp"

namespace o4o::core {

class Server {
 public:
  Server(const Config& config, Dispatcher& dispatcher, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws std::runtime_error with one readable line (port in use, ...).
  void listen();
  int port() const;
  // Serves until stop() (or SIGINT/SIGTERM) has drained the connections; then returns.
  void run();
  // Thread-safe: stop accepting, answer what was received with Connection: close, end streams,
  // and give in-flight requests up to the grace period.
  void stop();
  // Called once, on the stopping thread, shortly before the grace period ends with requests still
  // in flight (the platform interrupts the database's statements). Set before run().
  void on_grace_ending(std::function<void()> hurry);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace o4o::core
