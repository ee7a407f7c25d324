#pragma once
// Hot reads served from memory (issue 17): the rendered JSON of what is read far more often than
// it changes (a product, a project, a post, the first page of a list), bounded in bytes, the
// least recently used entry first out.
//
// What keeps it correct:
// - Every entry carries tags ("ecommerce.product:<id>"). A write names the tags it changes
//   (db::Connection::note_change); once it has committed, and before its answer is sent, the
//   entries with those tags are dropped (CacheChannel: here, and on the other instances).
// - A reader takes a ticket before it reads the database and keeps what it read only if none of
//   its tags was invalidated meanwhile, so a read that raced a write never puts the old value
//   back after the write's invalidation.
// - An entry may expire: what changes with time alone (a project's status at its deadline) is
//   read afresh from then on.
// - A fill reads the primary even when read replicas are configured (see get()).
// - Nothing per viewer is kept: callers fill such fields in per request.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "db/session.hpp"

namespace o4o::core {

class ReadCache {
 public:
  using Text = std::shared_ptr<const std::string>;
  using Tags = std::vector<std::string>;

  // max_bytes 0: no cache (every read goes to the database). name: what its metrics are called
  // (o4o_<name>_hits_total ...), so that two caches (hot reads, identities) count apart.
  explicit ReadCache(std::size_t max_bytes, std::string name = "cache");

  // What a read produced: the JSON to keep, and until when (epoch ms; 0: until invalidated).
  struct Fresh {
    std::string json;
    int64_t expires_at_ms = 0;
  };
  // The text kept under key, else read() (called with no lock held, may throw: nothing is kept)
  // stored under key with tags unless they were invalidated while it read.
  //
  // A request that brings a write position it must see (O4O-Read-After or its cookie, with read
  // replicas) is not answered from memory: an entry may predate another instance's write whose
  // invalidation is still on its way. It reads the primary like a fill (counted as a miss), and
  // what it read is kept as any fill.
  template <class Read>
  Text get(const std::string& key, const Tags& tags, int64_t now_ms, Read&& read) {
    if (!must_see_a_write()) {
      if (auto hit = find(key, now_ms)) return hit;
    } else {
      count_miss();
    }
    const auto t = ticket(tags);
    Fresh fresh = [&] {
      // A fill reads the primary, never a read replica: a replica that has not replayed a write
      // yet would put the old value back after that write's invalidation, for everyone, until
      // the next change. No session in scope sends db.read to the primary (db/session.hpp).
      db::Session::Scope primary_only(nullptr);
      return read();
    }();
    auto text = std::make_shared<const std::string>(std::move(fresh.json));
    store(t, key, text, tags, fresh.expires_at_ms, now_ms);
    return text;
  }

  // The parts of get(), for tests and callers that read in their own way.
  struct Ticket {
    uint64_t epoch = 0;
    std::vector<std::pair<std::size_t, uint64_t>> slots;  // (slot of a tag, its generation)
  };
  Text find(const std::string& key, int64_t now_ms);
  // find() on the IO thread ahead of a handler (Dispatcher::answer_from_cache): a hit is counted
  // and refreshed as in find(); a miss or an expired entry is left, uncounted, to the handler's
  // get(), so that a request is counted once either way.
  Text find_hit(const std::string& key, int64_t now_ms);
  // True when the request in scope on this thread must see a write position (see get()).
  static bool must_see_a_write();
  Ticket ticket(const Tags& tags) const;
  void store(const Ticket& ticket, const std::string& key, Text json, const Tags& tags,
             int64_t expires_at_ms, int64_t now_ms);

  // Drops every entry carrying one of the tags; readers in flight with one of them keep nothing.
  // remote: the invalidation came from another instance (counted apart).
  void invalidate(const Tags& tags, bool remote = false);
  // Everything goes, and readers in flight keep nothing: a change of unknown extent (another
  // process wrote to the SQLite file).
  void clear();
  // Off: emptied, nothing found, nothing kept, until turned on again (which empties it again).
  void set_enabled(bool on);
  bool enabled() const;

  struct Stats {
    uint64_t hits = 0, misses = 0, evictions = 0, expirations = 0;
    uint64_t invalidations_local = 0, invalidations_remote = 0, entries_invalidated = 0;
    uint64_t disabled_times = 0, clears = 0;
    std::size_t entries = 0, bytes = 0, max_bytes = 0;
    bool enabled = false;
  };
  Stats stats() const;
  // Prometheus text: o4o_<name>_* counters and gauges.
  std::string render_metrics() const;

 private:
  struct Entry {
    std::string key;
    Text json;
    Tags tags;
    int64_t expires_at_ms;
    std::size_t bytes;
  };
  using Lru = std::list<Entry>;
  static constexpr std::size_t kSlots = 4096;
  static std::size_t slot_of(const std::string& tag);
  void count_miss();
  void erase(Lru::iterator it);  // with mutex_ held
  void empty();                  // with mutex_ held

  const std::size_t max_bytes_;
  const std::string name_;
  mutable std::mutex mutex_;
  bool enabled_;
  uint64_t epoch_ = 0;                   // bumped when the cache is emptied or turned on/off
  std::array<uint64_t, kSlots> gens_{};  // bumped when a tag hashing there is invalidated
  Lru lru_;                              // most recently used first
  std::unordered_map<std::string, Lru::iterator> by_key_;
  std::unordered_map<std::string, std::unordered_set<std::string>> keys_by_tag_;
  std::size_t bytes_ = 0;
  Stats counts_;
};

}  // namespace o4o::core
