#pragma once
// What the pub/sub implementations share (core/pubsub.cpp, core/pubsub_postgres.cpp): the local
// table of subscribers and the connection state that others may watch.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/logging.hpp"
#include "core/pubsub.hpp"

namespace o4o::core::detail {

// Subscribers of this process, by topic. Shared by both implementations: Redis only carries the
// message between processes, delivery inside one is always this table.
class LocalTable {
 public:
  PubSub::Subscription add(const std::string& topic, PubSub::Callback cb) {
    std::lock_guard lock(mutex_);
    auto id = next_++;
    subs_[topic].emplace(id, std::make_shared<PubSub::Callback>(std::move(cb)));
    std::weak_ptr<State> alive = state_;
    auto token = std::shared_ptr<void>(nullptr, [this, alive, topic, id](void*) {
      if (alive.lock()) remove(topic, id);
    });
    return PubSub::Subscription(token);
  }

  void deliver(const std::string& topic, const std::string& message) {
    std::vector<std::shared_ptr<PubSub::Callback>> targets;
    {
      std::lock_guard lock(mutex_);
      auto it = subs_.find(topic);
      if (it == subs_.end()) return;
      for (auto& [id, cb] : it->second) targets.push_back(cb);
    }
    for (auto& cb : targets) {
      try {
        (*cb)(message);
      } catch (const std::exception& e) {
        log::error("pubsub subscriber failed", {{"topic", topic}, {"error", e.what()}});
      }
    }
  }

  bool has(const std::string& topic) {
    std::lock_guard lock(mutex_);
    auto it = subs_.find(topic);
    return it != subs_.end() && !it->second.empty();
  }

 private:
  struct State {};
  void remove(const std::string& topic, uint64_t id) {
    std::lock_guard lock(mutex_);
    auto it = subs_.find(topic);
    if (it == subs_.end()) return;
    it->second.erase(id);
    if (it->second.empty()) subs_.erase(it);
  }

  std::mutex mutex_;
  uint64_t next_ = 1;
  std::map<std::string, std::map<uint64_t, std::shared_ptr<PubSub::Callback>>> subs_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// Whether the connection that brings other instances' messages is up, and who wants to hear when
// that changes (core/cache_channel.hpp empties the cache on a loss).
class ConnectionWatch {
 public:
  bool up() const { return up_.load(); }
  // Called on the receiving thread when the subscription is made (true) or lost (false).
  void set(bool up) {
    if (up_.exchange(up) == up) return;
    table_.deliver("", up ? "up" : "down");
  }
  PubSub::Subscription watch(std::function<void(bool)> f) {
    return table_.add("", [f = std::move(f)](const std::string& m) { f(m == "up"); });
  }

 private:
  std::atomic<bool> up_{false};
  LocalTable table_;
};

// A pub/sub whose messages travel through a server (Redis, PostgreSQL): delivery in this process
// is the local table, fed by the receiving connection, whose state others may watch.
class RemotePubSub : public PubSub {
 public:
  Subscription subscribe(const std::string& topic, Callback cb) override {
    return table_.add(topic, std::move(cb));
  }
  bool connected() const override { return link_.up(); }
  Subscription watch_connection(std::function<void(bool)> f) override {
    return link_.watch(std::move(f));
  }
  bool crosses_instances() const override { return true; }

 protected:
  LocalTable table_;
  ConnectionWatch link_;
};

}  // namespace o4o::core::detail
