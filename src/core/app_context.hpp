#pragma once
// What every service receives: configuration, database, clock, authentication, pub/sub,
// idempotency and the read cache. The only mutable state shared across the program lives here.
#include <functional>
#include <mutex>
#include <vector>

#include "core/app_pages.hpp"
#include "core/auth.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/idempotency.hpp"
#include "core/payment_port.hpp"
#include "core/pubsub.hpp"
#include "core/read_cache.hpp"
#include "db/database.hpp"

namespace o4o::core {

struct AppContext {
  AppContext(const Config& config_, db::Database& db_, const Clock& clock_, Authenticator& auth_,
             PubSub& pubsub_, Idempotency& idempotency_, ReadCache& cache_)
      : config(config_), db(db_), clock(clock_), auth(auth_), pubsub(pubsub_),
        idempotency(idempotency_), cache(cache_), pages(config_) {}
  AppContext(const AppContext&) = delete;
  AppContext& operator=(const AppContext&) = delete;

  const Config& config;
  db::Database& db;
  const Clock& clock;
  Authenticator& auth;
  PubSub& pubsub;
  Idempotency& idempotency;
  // Rendered JSON of hot reads (product, project, post by id; first list pages), O4O_CACHE_MB.
  ReadCache& cache;
  // Orders and pledges meet payments here (core/payment_port.hpp).
  PaymentHub payments;
  // The app's shareable pages with their preview tags (core/app_pages.hpp).
  AppPages pages;

  // Run, in reverse order of registration, when the server stops (before the database closes):
  // services close their streams and stop their background threads here.
  void on_shutdown(std::function<void()> hook) {
    std::lock_guard lock(hooks_mutex_);
    shutdown_hooks_.push_back(std::move(hook));
  }
  void run_shutdown_hooks() {
    std::vector<std::function<void()>> hooks;
    {
      std::lock_guard lock(hooks_mutex_);
      hooks.swap(shutdown_hooks_);
    }
    for (auto it = hooks.rbegin(); it != hooks.rend(); ++it) (*it)();
  }

 private:
  std::mutex hooks_mutex_;
  std::vector<std::function<void()>> shutdown_hooks_;
};

}  // namespace o4o::core
