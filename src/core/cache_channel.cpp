#include "core/cache_channel.hpp"

#include <unordered_set>

#include "core/ids.hpp"

namespace o4o::core {

namespace {
// A message stays well under PostgreSQL's 8,000-byte NOTIFY payload.
constexpr std::size_t kMaxMessage = 6000;
}  // namespace

CacheChannel::CacheChannel(ReadCache& cache, PubSub& pubsub, db::Database& db)
    : cache_(cache), pubsub_(pubsub), db_(db), instance_(random_hex(8)) {
  db_.observe_changes([this](const std::vector<std::string>& tags) { committed(tags); });
  if (!pubsub_.crosses_instances()) {
    // No channel between processes: what another process writes to a shared SQLite file is
    // found by the database itself, and empties the cache.
    db_.watch_other_processes([this] { cache_.clear(); });
    return;
  }
  // Watched before it is read, so that no change of state falls between the two.
  link_ = pubsub_.watch_connection([this](bool up) { cache_.set_enabled(up); });
  messages_ = pubsub_.subscribe(kTopic, [this](const std::string& m) { received(m); });
  cache_.set_enabled(pubsub_.connected());
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
  if (publisher_.joinable()) publisher_.join();
  messages_.reset();
  link_.reset();
}

// The other instances are told before the writer is answered: the message is on its way (Redis
// or PostgreSQL has taken it) by the time the writer can tell anyone of the change, so another
// instance's staleness counts from the answer only the channel's delivery. A channel slower than
// kPublishWait, or down, hands the tags to the publisher thread instead (it connects again).
void CacheChannel::committed(const std::vector<std::string>& tags) {
  cache_.invalidate(tags);
  if (!publisher_.joinable()) return;
  const auto deadline = std::chrono::steady_clock::now() + kPublishWait;
  const std::deque<std::string> batch(tags.begin(), tags.end());
  bool sent = true;
  for (const auto& message : messages(batch)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!sent || left.count() <= 0 || !pubsub_.publish_within(kTopic, message, left)) sent = false;
  }
  if (sent) return;
  {
    std::lock_guard lock(mutex_);
    pending_.insert(pending_.end(), tags.begin(), tags.end());
  }
  cv_.notify_one();
}

void CacheChannel::received(const std::string& message) {
  const auto head = message.find('\n');
  if (head == std::string::npos || message.compare(0, head, instance_) == 0) return;
  ReadCache::Tags tags;
  std::size_t at = head + 1;
  while (at < message.size()) {
    auto end = message.find('\n', at);
    if (end == std::string::npos) end = message.size();
    if (end > at) tags.emplace_back(message, at, end - at);
    at = end + 1;
  }
  cache_.invalidate(tags, /*remote=*/true);
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
// the tags of many commits share one message.
void CacheChannel::publish_loop() {
  for (;;) {
    std::deque<std::string> batch;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;
      batch.swap(pending_);
    }
    for (const auto& message : messages(batch)) pubsub_.publish(kTopic, message);
  }
}

}  // namespace o4o::core
