#pragma once
// Wiring: opens the database, builds the app context, mounts the services and serves. Used by the
// CLI commands in main.cpp.
#include <functional>
#include <memory>

#include "core/app_context.hpp"
#include "core/config.hpp"

namespace o4o::app {

// Everything a command needs, owned in one place and torn down in order.
class Platform {
 public:
  // Opens (and migrates) the database; throws std::runtime_error with one readable line.
  explicit Platform(core::Config config);
  ~Platform();
  core::AppContext& context();
  const core::Config& config() const;

  // Serves HTTP until SIGINT/SIGTERM; returns the process exit code.
  int serve();
  // `o4o seed`: demo accounts and each service's demo data; prints the logins.
  void seed();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace o4o::app
