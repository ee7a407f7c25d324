#include "core/cache_channel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "core/ids.hpp"
#include "core/whole_number.hpp"

namespace o4o::core {

namespace {
// A message stays well under PostgreSQL's 8,000-byte NOTIFY payload.
constexpr std::size_t kMaxMessage = 6000;
// The longest the receiving thread waits to send an ack (the lock of the publishing connection
// and the server's answer): the writer waits no longer than kPublishWait anyway.
constexpr std::chrono::milliseconds kAckWait{50};

// The space-separated words of a message.
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto space = s.find(' ');
    if (space != 0) out.push_back(s.substr(0, space));
    if (space == std::string_view::npos) break;
    s.remove_prefix(space + 1);
  }
  return out;
}
}  // namespace

CacheChannel::CacheChannel(ReadCache& cache, PubSub& pubsub, db::Database& db)
    : CacheChannel(std::vector<ReadCache*>{&cache}, pubsub, db) {}

CacheChannel::CacheChannel(std::vector<ReadCache*> caches, PubSub& pubsub, db::Database& db)
    : caches_(std::move(caches)), pubsub_(pubsub), db_(db), instance_(random_hex(8)) {
  db_.observe_changes([this](const std::vector<std::string>& tags) { committed(tags); });
  if (!pubsub_.crosses_instances()) {
    // No channel between processes: what another process writes to a shared SQLite file is
    // found by the database itself, and empties the cache.
    db_.watch_other_processes([this] { each_cache([](ReadCache& c) { c.clear(); }); });
    return;
  }
  // Watched before it is read, so that no change of state falls between the two. The others
  // hear at once whether this instance listens: they wait for its acks only while it does.
  link_ = pubsub_.watch_connection([this](bool up) {
    each_cache([&](ReadCache& c) { c.set_enabled(up); });
    {
      std::lock_guard lock(mutex_);
      announce_ = true;
    }
    cv_.notify_one();
  });
  peer_messages_ = pubsub_.subscribe(kPeerTopic, [this](const std::string& m) { peer_message(m); });
  messages_ = pubsub_.subscribe(kTopic, [this](const std::string& m) { received(m); });
  const bool up = pubsub_.connected();
  each_cache([&](ReadCache& c) { c.set_enabled(up); });
  publisher_ = std::thread([this] { publish_loop(); });
}

CacheChannel::~CacheChannel() {
  db_.observe_changes(nullptr);
  db_.watch_other_processes(nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (publisher_.joinable()) {
    publisher_.join();
    // The others stop waiting for this instance's acks now rather than after kPeerSilence.
    pubsub_.publish_within(kPeerTopic, "bye " + instance_, kPublishWait);
  }
  messages_.reset();
  peer_messages_.reset();
  link_.reset();
}

// The other instances are told before the writer is answered, and the answer waits until every
// other listening instance says it has dropped the entries (bounded by kPublishWait): by the time
// the writer can tell anyone of the change, no instance answers with what it replaced. A channel
// slower than that, or down, hands the tags to the publisher thread instead (it connects again).
void CacheChannel::committed(const std::vector<std::string>& tags) {
  each_cache([&](ReadCache& c) { c.invalidate(tags); });
  if (!publisher_.joinable()) return;
  const auto deadline = Clock::now() + kPublishWait;
  const std::deque<std::string> batch(tags.begin(), tags.end());
  bool sent = true;
  std::vector<Sent> waiting;
  for (auto& message : messages(batch)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      sent = false;
      break;
    }
    uint64_t seq = 0;
    {
      std::lock_guard lock(mutex_);
      seq = ++next_seq_;
      acks_[seq];  // before it is published: an ack may come back before publish_within returns
    }
    message.insert(instance_.size(), fmt::format(" {}", seq));
    const auto receivers = pubsub_.publish_within(kTopic, message, left);
    if (!receivers) {
      std::lock_guard lock(mutex_);
      acks_.erase(seq);
      sent = false;
      break;
    }
    waiting.emplace_back(seq, *receivers);
  }
  if (!waiting.empty()) await_acks(waiting, deadline);
  if (sent) return;
  {
    std::lock_guard lock(mutex_);
    pending_.insert(pending_.end(), tags.begin(), tags.end());
  }
  cv_.notify_one();
}

// Until every other instance that listens has acked each of `sent`, or Redis says fewer
// connections got it than there are such instances and as many as did have acked, or the
// deadline. Instances this one has not heard of yet are not waited for (one that has just
// started has nothing cached to be stale with).
void CacheChannel::await_acks(const std::vector<Sent>& sent, Clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  const auto forget = [&] {
    for (const auto& [seq, receivers] : sent) acks_.erase(seq);
  };
  // Acks come back on the receiving connection: without it none can be heard.
  if (!pubsub_.connected()) return forget();
  const auto start = Clock::now();
  // Looked at again on every ack and every change heard of a peer (one saying it no longer
  // listens, or stopping, is not waited for any more).
  const auto all_acked = [&] {
    for (const auto& [seq, receivers] : sent) {
      const auto& got = acks_[seq];
      // Redis counts this instance's own subscriber among the receivers.
      if (receivers >= 0 && static_cast<int>(got.size()) >= receivers - 1) continue;
      for (const auto& [id, peer] : peers_)
        if (peer.listening && start - peer.heard < kPeerSilence && got.count(id) == 0)
          return false;
    }
    return true;
  };
  const bool anyone = std::any_of(peers_.begin(), peers_.end(), [&](const auto& p) {
    return p.second.listening && start - p.second.heard < kPeerSilence;
  });
  if (!anyone) return forget();  // no other instance to wait for: not counted
  const bool in_time = acked_.wait_until(lock, deadline, all_acked);
  forget();
  ++(in_time ? acked_writes_ : ack_timeouts_);
}

void CacheChannel::received(const std::string& message) {
  const auto head_end = message.find('\n');
  if (head_end == std::string::npos) return;
  const auto head = words(std::string_view(message).substr(0, head_end));
  if (head.empty() || head[0] == instance_) return;
  ReadCache::Tags tags;
  std::size_t at = head_end + 1;
  while (at < message.size()) {
    auto end = message.find('\n', at);
    if (end == std::string::npos) end = message.size();
    if (end > at) tags.emplace_back(message, at, end - at);
    at = end + 1;
  }
  each_cache([&](ReadCache& c) { c.invalidate(tags, /*remote=*/true); });
  // Dropped: the writer may answer now. (An older instance sends no number and waits for none.)
  if (head.size() == 2)
    pubsub_.publish_within(kPeerTopic,
                           fmt::format("ack {} {} {}", head[0], head[1], instance_), kAckWait);
}

void CacheChannel::peer_message(const std::string& message) {
  const auto w = words(message);
  if (w.size() < 2) return;
  const std::string from(w[0] == "ack" && w.size() == 4 ? w[3] : w[1]);
  if (from == instance_) return;
  std::lock_guard lock(mutex_);
  if (w[0] == "bye") {
    peers_.erase(from);
  } else if (w[0] == "here" && w.size() == 3) {
    peers_[from] = Peer{Clock::now(), w[2] == "1"};
  } else if (w[0] == "ack" && w.size() == 4) {
    // An ack is news that its sender listens, whether or not this instance waits for it.
    peers_[from] = Peer{Clock::now(), true};
    if (w[1] != instance_) return;
    const auto seq = whole_number<uint64_t>(w[2]);
    if (!seq) return;
    auto it = acks_.find(*seq);
    if (it == acks_.end()) return;  // not waited for (any more)
    it->second.insert(from);
  } else {
    return;
  }
  acked_.notify_all();  // a peer gone or no longer listening may be what a writer waited on
}

// Tags into as few messages as fit, each tag once.
std::vector<std::string> CacheChannel::messages(const std::deque<std::string>& tags) const {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::string message = instance_;
  for (const auto& tag : tags) {
    if (!seen.insert(tag).second) continue;
    if (message.size() + 1 + tag.size() > kMaxMessage && message.size() > instance_.size()) {
      out.push_back(std::move(message));
      message = instance_;
    }
    message += '\n';
    message += tag;
  }
  if (message.size() > instance_.size()) out.push_back(std::move(message));
  return out;
}

// Sends what the commits could not, as soon as it can (publish() connects again): under a burst,
// the tags of many commits share one message. Says "here" every kHeartbeat, and at once when
// the receiving connection is lost or back.
void CacheChannel::publish_loop() {
  auto next_heartbeat = Clock::now();
  for (;;) {
    std::deque<std::string> batch;
    bool heartbeat = false;
    {
      std::unique_lock lock(mutex_);
      cv_.wait_until(lock, next_heartbeat,
                     [&] { return stopping_ || !pending_.empty() || announce_; });
      if (stopping_ && pending_.empty()) return;
      batch.swap(pending_);
      heartbeat = announce_ || Clock::now() >= next_heartbeat;
      announce_ = false;
    }
    for (const auto& message : messages(batch)) pubsub_.publish(kTopic, message);
    if (heartbeat) {
      pubsub_.publish(kPeerTopic,
                      fmt::format("here {} {}", instance_, pubsub_.connected() ? 1 : 0));
      next_heartbeat = Clock::now() + kHeartbeat;
    }
  }
}

std::string CacheChannel::render_metrics() const {
  std::size_t peers = 0;
  {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    for (const auto& [id, peer] : peers_)
      if (peer.listening && now - peer.heard < kPeerSilence) ++peers;
  }
  return fmt::format(
      "# HELP o4o_cache_peers Other instances heard from that listen for invalidations (their "
      "acks are waited for).\n"
      "# TYPE o4o_cache_peers gauge\n"
      "o4o_cache_peers {}\n"
      "# HELP o4o_cache_acked_writes_total Commits answered after every listening instance had "
      "dropped what they changed.\n"
      "# TYPE o4o_cache_acked_writes_total counter\n"
      "o4o_cache_acked_writes_total {}\n"
      "# HELP o4o_cache_ack_timeouts_total Commits answered before every listening instance had "
      "said it dropped what they changed (none said so within 100 ms).\n"
      "# TYPE o4o_cache_ack_timeouts_total counter\n"
      "o4o_cache_ack_timeouts_total {}\n",
      peers, acked_writes_.load(), ack_timeouts_.load());
}

}  // namespace o4o::core
