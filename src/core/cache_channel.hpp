#pragma once
// Wires the read cache (core/read_cache.hpp) to the writes: committed change notes
// (db::Connection::note_change) invalidate this instance's cache at once, on the committing
// thread, and are published to the other instances over the pub/sub (Redis, or PostgreSQL
// NOTIFY) before the writer is answered (a publisher thread retries what could not go at once);
// their caches drop the same entries when they arrive. While the pub/sub's receiving connection
// is lost, this instance cannot hear the others' writes: the cache is emptied and kept off until
// the connection is back. Without a pub/sub between processes (SQLite, no Redis), another
// process's commit to the same file empties it.
//
// Acknowledged invalidations: an instance that has dropped what another's commit changed says so
// ("ack"), and the writer's answer waits for the acks of every other instance that is listening,
// within the same bound as the publishing (kPublishWait). So whoever hears of a write (its writer,
// or anyone the writer tells) reads it on every instance, unless an instance took longer than
// that to hear of it (counted: o4o_cache_ack_timeouts_total). Measured why (bench/RESULTS.md):
// Redis answers PUBLISH before it writes the message to the subscribers, and both Redis and
// PostgreSQL's listening backend can wait tens of ms for a CPU on a busy machine, so "handed to
// Redis" was not "arrived". Instances learn of each other from a heartbeat on the same channel
// ("here <id> <listening 0|1>" every few seconds and when the listening connection is lost or
// back, "bye <id>" when stopping); one not heard from for kPeerSilence is not waited for.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/pubsub.hpp"
#include "core/read_cache.hpp"
#include "db/database.hpp"

namespace o4o::core {

class CacheChannel {
 public:
  // The topic the invalidations travel on: "<instance id>[ <seq>]\n<tag>\n<tag>..."; with a
  // sequence number the sender waits for acks.
  static constexpr const char* kTopic = "cache.invalidate";
  // Between the instances' channels: "ack <origin id> <seq> <id>", "here <id> <0|1>", "bye <id>".
  static constexpr const char* kPeerTopic = "cache.peers";

  CacheChannel(ReadCache& cache, PubSub& pubsub, db::Database& db);
  // Several caches (the hot reads and the identities of core::Authenticator) on one channel: a
  // commit's tags are dropped from each, and a lost channel empties them all.
  CacheChannel(std::vector<ReadCache*> caches, PubSub& pubsub, db::Database& db);
  ~CacheChannel();
  CacheChannel(const CacheChannel&) = delete;
  CacheChannel& operator=(const CacheChannel&) = delete;

  // Prometheus text: o4o_cache_peers, o4o_cache_acked_writes_total, o4o_cache_ack_timeouts_total.
  std::string render_metrics() const;

 private:
  // The longest a commit waits to publish and for the other instances' acks before its writer is
  // answered (what could not be published is then left to the publisher thread): a sick channel
  // or instance must not stall writes.
  static constexpr std::chrono::milliseconds kPublishWait{100};
  static constexpr std::chrono::seconds kHeartbeat{5};
  static constexpr std::chrono::seconds kPeerSilence{15};
  using Clock = std::chrono::steady_clock;

  struct Peer {
    Clock::time_point heard;
    bool listening = false;
  };
  // A published invalidation waiting for acks: its number and how many connections Redis says
  // it reached (-1: not counted).
  using Sent = std::pair<uint64_t, int>;

  void committed(const std::vector<std::string>& tags);
  std::vector<std::string> messages(const std::deque<std::string>& tags) const;
  void received(const std::string& message);
  void peer_message(const std::string& message);
  void await_acks(const std::vector<Sent>& sent, Clock::time_point deadline);
  void publish_loop();

  // Each of the caches: invalidate, clear, set_enabled.
  template <class F>
  void each_cache(F&& f) {
    for (auto* c : caches_) f(*c);
  }

  const std::vector<ReadCache*> caches_;
  PubSub& pubsub_;
  db::Database& db_;
  const std::string instance_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> pending_;
  bool stopping_ = false;
  bool announce_ = true;  // the publisher thread says "here" at once (start, link lost or back)
  std::map<std::string, Peer> peers_;                  // other instances, by id
  uint64_t next_seq_ = 0;                              // of this instance's invalidations
  std::map<uint64_t, std::set<std::string>> acks_;     // waited-for invalidation -> who acked
  std::condition_variable acked_;
  std::atomic<uint64_t> acked_writes_{0};
  std::atomic<uint64_t> ack_timeouts_{0};
  PubSub::Subscription messages_;
  PubSub::Subscription peer_messages_;
  PubSub::Subscription link_;
  std::thread publisher_;
};

}  // namespace o4o::core
