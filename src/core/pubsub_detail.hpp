#pragma once
// What the pub/sub implementations share (core/pubsub.cpp, core/pubsub_postgres.cpp): the local
// table of subscribers and the connection state that others may watch.
#include <algorithm>
#include <atomic>
#include <condition_variable>
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
//
// Dropping a subscription waits for a delivery to it that is under way on another thread, so a
// subscriber that captured `this` (core/cache_channel.cpp) is never called once its destructor has
// dropped the subscription. A subscriber may drop its own subscription from inside its callback:
// that delivery is on the same thread and is not waited for.
class LocalTable {
 public:
  PubSub::Subscription add(const std::string& topic, PubSub::Callback cb) {
    std::lock_guard lock(mutex_);
    auto id = next_++;
    subs_[topic].emplace(id, std::make_shared<Entry>(std::move(cb)));
    std::weak_ptr<State> alive = state_;
    auto token = std::shared_ptr<void>(nullptr, [this, alive, topic, id](void*) {
      if (alive.lock()) remove(topic, id);
    });
    return PubSub::Subscription(token);
  }

  void deliver(const std::string& topic, const std::string& message) {
    std::vector<std::shared_ptr<Entry>> targets;
    {
      std::lock_guard lock(mutex_);
      auto it = subs_.find(topic);
      if (it == subs_.end()) return;
      for (auto& [id, entry] : it->second) targets.push_back(entry);
    }
    for (auto& entry : targets) {
      // A subscriber removed since it was taken from the table is skipped; one running now is
      // waited for by remove().
      Running running(*this, *entry);
      if (running.removed) continue;
      try {
        entry->callback(message);
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
  struct Entry {
    explicit Entry(PubSub::Callback cb) : callback(std::move(cb)) {}
    PubSub::Callback callback;
    int running = 0;       // callbacks under way, on any thread (under mutex_)
    bool removed = false;  // under mutex_
  };
  // One delivery to one entry: marks this thread as inside it (for a remove() from the callback)
  // and, at the end, no longer running.
  struct Running {
    Running(LocalTable& table, Entry& entry) : table_(table), entry_(entry) {
      std::lock_guard lock(table_.mutex_);
      removed = entry_.removed;
      if (removed) return;
      ++entry_.running;
      inside().push_back(&entry_);
    }
    ~Running() {
      if (removed) return;
      inside().pop_back();
      std::lock_guard lock(table_.mutex_);
      --entry_.running;
      if (entry_.removed) table_.finished_.notify_all();
    }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
    bool removed = false;

   private:
    LocalTable& table_;
    Entry& entry_;
  };
  // The entries whose callbacks this thread is inside (a callback may publish, so nested).
  static std::vector<const Entry*>& inside() {
    thread_local std::vector<const Entry*> entries;
    return entries;
  }

  void remove(const std::string& topic, uint64_t id) {
    std::unique_lock lock(mutex_);
    auto it = subs_.find(topic);
    if (it == subs_.end()) return;
    auto found = it->second.find(id);
    if (found == it->second.end()) return;
    auto entry = found->second;
    it->second.erase(found);
    if (it->second.empty()) subs_.erase(it);
    entry->removed = true;
    const auto own = std::count(inside().begin(), inside().end(), entry.get());
    finished_.wait(lock, [&] { return entry->running <= own; });
  }

  std::mutex mutex_;
  std::condition_variable finished_;
  uint64_t next_ = 1;
  std::map<std::string, std::map<uint64_t, std::shared_ptr<Entry>>> subs_;
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
