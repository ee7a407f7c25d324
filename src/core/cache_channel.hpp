#pragma once
// Wires the read cache (core/read_cache.hpp) to the writes: committed change notes
// (db::Connection::note_change) invalidate this instance's cache at once, on the committing
// thread, and are published to the other instances over the pub/sub (Redis, or PostgreSQL
// NOTIFY) before the writer is answered (a publisher thread retries what could not go at once);
// their caches drop the same entries when they arrive. While the pub/sub's receiving connection is lost, this instance cannot hear the others'
// writes: the cache is emptied and kept off until the connection is back. Without a pub/sub
// between processes (SQLite, no Redis), another process's commit to the same file empties it.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/pubsub.hpp"
#include "core/read_cache.hpp"
#include "db/database.hpp"

namespace o4o::core {

class CacheChannel {
 public:
  // The topic the invalidations travel on: "<instance id>\n<tag>\n<tag>...".
  static constexpr const char* kTopic = "cache.invalidate";

  CacheChannel(ReadCache& cache, PubSub& pubsub, db::Database& db);
  ~CacheChannel();
  CacheChannel(const CacheChannel&) = delete;
  CacheChannel& operator=(const CacheChannel&) = delete;

 private:
  // The longest a commit waits to publish before its writer is answered (then it is left to the
  // publisher thread): a sick channel must not stall writes.
  static constexpr std::chrono::milliseconds kPublishWait{100};

  void committed(const std::vector<std::string>& tags);
  std::vector<std::string> messages(const std::deque<std::string>& tags) const;
  void received(const std::string& message);
  void publish_loop();

  ReadCache& cache_;
  PubSub& pubsub_;
  db::Database& db_;
  const std::string instance_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> pending_;
  bool stopping_ = false;
  PubSub::Subscription messages_;
  PubSub::Subscription link_;
  std::thread publisher_;
};

}  // namespace o4o::core
