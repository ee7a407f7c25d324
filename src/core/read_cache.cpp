#include "core/read_cache.hpp"

#include <fmt/format.h>

#include <functional>

namespace o4o::core {

namespace {
// What an entry costs beyond its text: the list node, the two index nodes, the strings' heads.
constexpr std::size_t kEntryOverhead = 192;
}  // namespace

ReadCache::ReadCache(std::size_t max_bytes, std::string name)
    : max_bytes_(max_bytes), name_(std::move(name)), enabled_(max_bytes > 0) {}

std::size_t ReadCache::slot_of(const std::string& tag) {
  return std::hash<std::string>{}(tag) % kSlots;
}

ReadCache::Text ReadCache::find(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (!enabled_) return nullptr;
  auto it = by_key_.find(key);
  if (it == by_key_.end()) {
    ++counts_.misses;
    return nullptr;
  }
  auto entry = it->second;
  if (entry->expires_at_ms != 0 && now_ms >= entry->expires_at_ms) {
    ++counts_.expirations;
    ++counts_.misses;
    erase(entry);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, entry);
  ++counts_.hits;
  return entry->json;
}

ReadCache::Text ReadCache::find_hit(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (!enabled_) return nullptr;
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return nullptr;
  auto entry = it->second;
  if (entry->expires_at_ms != 0 && now_ms >= entry->expires_at_ms) return nullptr;
  lru_.splice(lru_.begin(), lru_, entry);
  ++counts_.hits;
  return entry->json;
}

bool ReadCache::must_see_a_write() {
  const db::Session* s = db::Session::current();
  return s != nullptr && s->needed() != 0;
}

void ReadCache::count_miss() {
  std::lock_guard lock(mutex_);
  if (enabled_) ++counts_.misses;
}

ReadCache::Ticket ReadCache::ticket(const Tags& tags) const {
  std::lock_guard lock(mutex_);
  Ticket t;
  t.epoch = epoch_;
  t.slots.reserve(tags.size());
  for (const auto& tag : tags) {
    const auto slot = slot_of(tag);
    t.slots.emplace_back(slot, gens_[slot]);
  }
  return t;
}

void ReadCache::store(const Ticket& t, const std::string& key, Text json, const Tags& tags,
                      int64_t expires_at_ms, int64_t now_ms) {
  if (!json || (expires_at_ms != 0 && expires_at_ms <= now_ms)) return;
  std::size_t bytes = kEntryOverhead + 2 * key.size() + json->size();
  for (const auto& tag : tags) bytes += 2 * tag.size() + 32;
  std::lock_guard lock(mutex_);
  if (!enabled_ || bytes > max_bytes_ || t.epoch != epoch_) return;
  // Tags hash into shared slots: another tag's invalidation may cost this read its entry, never
  // the reverse.
  for (const auto& [slot, gen] : t.slots) {
    if (gens_[slot] != gen) return;
  }
  if (auto old = by_key_.find(key); old != by_key_.end()) erase(old->second);
  while (bytes_ + bytes > max_bytes_ && !lru_.empty()) {
    erase(std::prev(lru_.end()));
    ++counts_.evictions;
  }
  lru_.push_front(Entry{key, std::move(json), tags, expires_at_ms, bytes});
  by_key_.emplace(key, lru_.begin());
  for (const auto& tag : tags) keys_by_tag_[tag].insert(key);
  bytes_ += bytes;
}

void ReadCache::erase(Lru::iterator it) {
  for (const auto& tag : it->tags) {
    auto keys = keys_by_tag_.find(tag);
    if (keys == keys_by_tag_.end()) continue;
    keys->second.erase(it->key);
    if (keys->second.empty()) keys_by_tag_.erase(keys);
  }
  bytes_ -= it->bytes;
  by_key_.erase(it->key);
  lru_.erase(it);
}

void ReadCache::invalidate(const Tags& tags, bool remote) {
  std::lock_guard lock(mutex_);
  for (const auto& tag : tags) {
    ++gens_[slot_of(tag)];
    ++(remote ? counts_.invalidations_remote : counts_.invalidations_local);
    auto keys = keys_by_tag_.find(tag);
    if (keys == keys_by_tag_.end()) continue;
    const std::vector<std::string> doomed(keys->second.begin(), keys->second.end());
    for (const auto& key : doomed) {
      if (auto it = by_key_.find(key); it != by_key_.end()) {
        erase(it->second);
        ++counts_.entries_invalidated;
      }
    }
  }
}

void ReadCache::empty() {
  ++epoch_;
  lru_.clear();
  by_key_.clear();
  keys_by_tag_.clear();
  bytes_ = 0;
}

void ReadCache::clear() {
  std::lock_guard lock(mutex_);
  ++counts_.clears;
  empty();
}

void ReadCache::set_enabled(bool on) {
  std::lock_guard lock(mutex_);
  const bool now_on = on && max_bytes_ > 0;
  if (enabled_ && !now_on) ++counts_.disabled_times;
  enabled_ = now_on;
  empty();
}

bool ReadCache::enabled() const {
  std::lock_guard lock(mutex_);
  return enabled_;
}

ReadCache::Stats ReadCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = counts_;
  s.entries = by_key_.size();
  s.bytes = bytes_;
  s.max_bytes = max_bytes_;
  s.enabled = enabled_;
  return s;
}

std::string ReadCache::render_metrics() const {
  const auto s = stats();
  return fmt::format(
      "# HELP o4o_{0}_hits_total Reads answered from the in-memory cache.\n"
      "# TYPE o4o_{0}_hits_total counter\n"
      "o4o_{0}_hits_total {1}\n"
      "# HELP o4o_{0}_misses_total Cacheable reads that went to the database.\n"
      "# TYPE o4o_{0}_misses_total counter\n"
      "o4o_{0}_misses_total {2}\n"
      "# HELP o4o_{0}_evictions_total Entries dropped to stay within the cache's bound.\n"
      "# TYPE o4o_{0}_evictions_total counter\n"
      "o4o_{0}_evictions_total {3}\n"
      "# HELP o4o_{0}_expirations_total Entries dropped at their expiry (a deadline).\n"
      "# TYPE o4o_{0}_expirations_total counter\n"
      "o4o_{0}_expirations_total {4}\n"
      "# HELP o4o_{0}_invalidations_total Changes heard, by where the write was made.\n"
      "# TYPE o4o_{0}_invalidations_total counter\n"
      "o4o_{0}_invalidations_total{{origin=\"local\"}} {5}\n"
      "o4o_{0}_invalidations_total{{origin=\"remote\"}} {6}\n"
      "# HELP o4o_{0}_invalidated_entries_total Entries dropped because what they hold changed.\n"
      "# TYPE o4o_{0}_invalidated_entries_total counter\n"
      "o4o_{0}_invalidated_entries_total {7}\n"
      "# HELP o4o_{0}_channel_losses_total Times the invalidation channel was lost (the cache "
      "was emptied and kept off until it was back).\n"
      "# TYPE o4o_{0}_channel_losses_total counter\n"
      "o4o_{0}_channel_losses_total {8}\n"
      "# HELP o4o_{0}_clears_total Times the cache was emptied because another process wrote "
      "to the SQLite database.\n"
      "# TYPE o4o_{0}_clears_total counter\n"
      "o4o_{0}_clears_total {9}\n"
      "# HELP o4o_{0}_entries Entries in the cache now.\n"
      "# TYPE o4o_{0}_entries gauge\n"
      "o4o_{0}_entries {10}\n"
      "# HELP o4o_{0}_bytes Bytes the cache holds now (of its bound).\n"
      "# TYPE o4o_{0}_bytes gauge\n"
      "o4o_{0}_bytes {11}\n"
      "# HELP o4o_{0}_enabled 1 while the cache answers, 0 while it is off.\n"
      "# TYPE o4o_{0}_enabled gauge\n"
      "o4o_{0}_enabled {12}\n",
      name_, s.hits, s.misses, s.evictions, s.expirations, s.invalidations_local,
      s.invalidations_remote, s.entries_invalidated, s.disabled_times, s.clears, s.entries, s.bytes,
      s.enabled ? 1 : 0);
}

}  // namespace o4o::core
