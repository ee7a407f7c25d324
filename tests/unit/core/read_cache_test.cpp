// core/read_cache and core/cache_channel: the byte bound and least-recently-used eviction, tags
// and tickets (a read that raced a write keeps nothing), expiry, turning off, and change notes
// that reach the cache only once their transaction has committed; another instance's ack before
// a writer is answered.
#include "core/read_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/cache_channel.hpp"
#include "core/pubsub.hpp"
#include "core/pubsub_detail.hpp"
#include "support/temp_database.hpp"

namespace {

using o4o::core::ReadCache;

ReadCache::Text text(const std::string& s) {
  return std::make_shared<const std::string>(s);
}

// prefix + i (written out: GCC 12 warns falsely about "literal" + std::to_string).
std::string name(const char* prefix, int i) {
  std::string out(prefix);
  out.append(std::to_string(i));
  return out;
}

// Stores json under key with one tag, as get() would with nothing in between.
void put(ReadCache& cache, const std::string& key, const std::string& json,
         const std::string& tag, int64_t expires = 0) {
  cache.store(cache.ticket({tag}), key, text(json), {tag}, expires, 0);
}

TEST(ReadCache, GetReadsOnceThenAnswersFromMemory) {
  ReadCache cache(1 << 20);
  int reads = 0;
  auto read = [&] {
    ++reads;
    return ReadCache::Fresh{R"({"n":1})"};
  };
  EXPECT_EQ(*cache.get("k", {"t"}, 0, read), R"({"n":1})");
  EXPECT_EQ(*cache.get("k", {"t"}, 0, read), R"({"n":1})");
  EXPECT_EQ(reads, 1);
  const auto s = cache.stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.entries, 1u);
}

TEST(ReadCache, AReadThatThrowsKeepsNothing) {
  ReadCache cache(1 << 20);
  EXPECT_THROW(cache.get("k", {"t"}, 0, []() -> ReadCache::Fresh { throw std::runtime_error("404"); }),
               std::runtime_error);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(ReadCache, StaysWithinItsBytesDroppingTheLeastRecentlyUsed) {
  const std::string body(1000, 'x');
  ReadCache cache(10'000);
  for (int i = 0; i < 5; ++i) put(cache, name("k", i), body, name("t", i));
  ASSERT_NE(cache.find("k0", 0), nullptr);  // k0 is now the most recently used
  for (int i = 5; i < 20; ++i) put(cache, name("k", i), body, name("t", i));
  const auto s = cache.stats();
  EXPECT_LE(s.bytes, 10'000u);
  EXPECT_GT(s.evictions, 0u);
  EXPECT_LT(s.entries, 20u);
  EXPECT_EQ(cache.find("k1", 0), nullptr);   // oldest, never touched again: gone
  EXPECT_NE(cache.find("k19", 0), nullptr);  // newest: kept
}

TEST(ReadCache, AnEntryLargerThanTheWholeCacheIsNotKept) {
  ReadCache cache(4'000);
  put(cache, "big", std::string(5'000, 'x'), "t");
  EXPECT_EQ(cache.find("big", 0), nullptr);
  EXPECT_EQ(cache.stats().bytes, 0u);
}

TEST(ReadCache, InvalidatingATagDropsEveryEntryCarryingItAndNoOther) {
  ReadCache cache(1 << 20);
  cache.store(cache.ticket({"p:1", "list"}), "p1", text("1"), {"p:1", "list"}, 0, 0);
  cache.store(cache.ticket({"list"}), "page1", text("[1]"), {"list"}, 0, 0);
  put(cache, "p2", "2", "p:2");
  cache.invalidate({"list"});
  EXPECT_EQ(cache.find("p1", 0), nullptr);
  EXPECT_EQ(cache.find("page1", 0), nullptr);
  EXPECT_NE(cache.find("p2", 0), nullptr);
  EXPECT_EQ(cache.stats().entries_invalidated, 2u);
  EXPECT_EQ(cache.stats().invalidations_local, 1u);
}

TEST(ReadCache, AReadThatRacedAWriteDoesNotPutTheOldValueBack) {
  ReadCache cache(1 << 20);
  const auto ticket = cache.ticket({"p:1"});  // the reader starts...
  cache.invalidate({"p:1"});                  // ...a write commits meanwhile...
  cache.store(ticket, "p1", text("old"), {"p:1"}, 0, 0);  // ...and the old read is refused
  EXPECT_EQ(cache.find("p1", 0), nullptr);
  // A reader that starts after the write keeps what it read.
  put(cache, "p1", "new", "p:1");
  EXPECT_EQ(*cache.find("p1", 0), "new");
}

TEST(ReadCache, AnEntryExpiresAtItsTime) {
  ReadCache cache(1 << 20);
  int reads = 0;
  auto read = [&] {
    ++reads;
    return ReadCache::Fresh{name("v", reads), 1'000};
  };
  EXPECT_EQ(*cache.get("k", {"t"}, 500, read), "v1");
  EXPECT_EQ(*cache.get("k", {"t"}, 999, read), "v1");
  EXPECT_EQ(*cache.get("k", {"t"}, 1'000, read), "v2");  // expired: read again, and not kept
  EXPECT_EQ(cache.stats().expirations, 1u);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(ReadCache, OffMeansEmptiedAndReadsGoThrough) {
  ReadCache cache(1 << 20);
  put(cache, "k", "1", "t");
  const auto ticket = cache.ticket({"t"});
  cache.set_enabled(false);
  EXPECT_EQ(cache.stats().entries, 0u);
  int reads = 0;
  auto read = [&] {
    ++reads;
    return ReadCache::Fresh{"x"};
  };
  cache.get("k", {"t"}, 0, read);
  cache.get("k", {"t"}, 0, read);
  EXPECT_EQ(reads, 2);
  cache.set_enabled(true);
  // A read that began before the cache came back keeps nothing (it may have missed a change).
  cache.store(ticket, "k", text("stale"), {"t"}, 0, 0);
  EXPECT_EQ(cache.find("k", 0), nullptr);
  EXPECT_EQ(cache.stats().disabled_times, 1u);
}

TEST(ReadCache, ZeroBytesIsNoCache) {
  ReadCache cache(0);
  EXPECT_FALSE(cache.enabled());
  put(cache, "k", "1", "t");
  EXPECT_EQ(cache.find("k", 0), nullptr);
}

TEST(ReadCache, MetricsFollowTheNamingOfTheRest) {
  ReadCache cache(1 << 20);
  put(cache, "k", "1", "t");
  cache.find("k", 0);
  const auto m = cache.render_metrics();
  EXPECT_NE(m.find("o4o_cache_hits_total 1\n"), std::string::npos);
  EXPECT_NE(m.find("o4o_cache_entries 1\n"), std::string::npos);
  EXPECT_NE(m.find("# TYPE o4o_cache_evictions_total counter"), std::string::npos);
  EXPECT_NE(m.find("o4o_cache_invalidations_total{origin=\"remote\"} 0"), std::string::npos);
}

// The change notes of a transaction reach the cache after its commit, and not at all when it
// rolls back; a grouped write's notes arrive before it is answered.
class CacheChannelTest : public o4o::unit_test::TempSqliteTest {};

TEST_F(CacheChannelTest, CommittedNotesInvalidateRolledBackOnesDoNot) {
  ReadCache cache(1 << 20);
  auto pubsub = o4o::core::make_local_pubsub();
  o4o::core::CacheChannel channel(cache, *pubsub, *db_);
  put(cache, "p1", "1", "p:1");
  EXPECT_THROW(db_->write([](o4o::db::Connection& c) {
    c.note_change("p:1");
    throw std::runtime_error("no");
  }),
               std::runtime_error);
  EXPECT_NE(cache.find("p1", 0), nullptr);
  db_->write([&](o4o::db::Connection& c) {
    c.note_change("p:1");
    // Not yet: other readers still see the old row until the commit.
    EXPECT_NE(cache.find("p1", 0), nullptr);
  });
  EXPECT_EQ(cache.find("p1", 0), nullptr);

  put(cache, "p1", "1", "p:1");
  std::promise<bool> gone;
  db_->write_grouped([](o4o::db::Connection& c) { c.note_change("p:1"); },
                     [&](std::exception_ptr) { gone.set_value(cache.find("p1", 0) == nullptr); });
  EXPECT_TRUE(gone.get_future().get());
}

TEST_F(CacheChannelTest, AnotherProcessWritingTheSqliteFileEmptiesTheCache) {
  db_->migrate();
  ReadCache cache(1 << 20);
  auto pubsub = o4o::core::make_local_pubsub();
  o4o::core::CacheChannel channel(cache, *pubsub, *db_);
  auto wait_for_clear = [&](uint64_t before) {
    for (int i = 0; i < 100 && cache.stats().clears == before; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return cache.stats().clears > before;
  };
  // This process's own write comes with its notes: it empties nothing else.
  put(cache, "p1", "1", "p:1");
  db_->write([](o4o::db::Connection& c) { c.exec("CREATE TABLE t (x INTEGER)"); });
  EXPECT_FALSE(wait_for_clear(0));
  EXPECT_NE(cache.find("p1", 0), nullptr);
  // Another handle on the file stands for another process: its commit carries no note.
  auto other = o4o::db::open_database(url(), {});
  other->write([](o4o::db::Connection& c) { c.exec("INSERT INTO t VALUES (1)"); });
  EXPECT_TRUE(wait_for_clear(0));
  EXPECT_EQ(cache.find("p1", 0), nullptr);
  other->close();
}

// Instances' pub/sub over one in-memory bus, each delivering on its own thread after `delay`, as a
// slow Redis or a busy instance would; a deaf one drops what it is sent.
class Bus;
class Endpoint final : public o4o::core::PubSub {
 public:
  Endpoint(Bus& bus, std::chrono::milliseconds delay);
  ~Endpoint() override;
  void publish(const std::string& topic, const std::string& message) override;
  Subscription subscribe(const std::string& topic, Callback cb) override {
    return table_.add(topic, std::move(cb));
  }
  bool connected() const override { return true; }
  bool crosses_instances() const override { return true; }
  void receive(const std::string& topic, const std::string& message) {
    if (deaf) return;
    {
      std::lock_guard lock(mutex_);
      queue_.emplace_back(topic, message);
    }
    cv_.notify_one();
  }
  std::atomic<bool> deaf{false};

 private:
  Bus& bus_;
  const std::chrono::milliseconds delay_;
  o4o::core::detail::LocalTable table_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::string>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

class Bus {
 public:
  void join(Endpoint* e) {
    std::lock_guard lock(mutex_);
    endpoints_.push_back(e);
  }
  void leave(Endpoint* e) {
    std::lock_guard lock(mutex_);
    std::erase(endpoints_, e);
  }
  void send(const std::string& topic, const std::string& message) {
    std::lock_guard lock(mutex_);
    for (auto* e : endpoints_) e->receive(topic, message);
  }

 private:
  std::mutex mutex_;
  std::vector<Endpoint*> endpoints_;
};

Endpoint::Endpoint(Bus& bus, std::chrono::milliseconds delay) : bus_(bus), delay_(delay) {
  bus_.join(this);
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      auto [topic, message] = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      std::this_thread::sleep_for(delay_);
      table_.deliver(topic, message);
      lock.lock();
    }
  });
}

Endpoint::~Endpoint() {
  bus_.leave(this);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Endpoint::publish(const std::string& topic, const std::string& message) {
  bus_.send(topic, message);
}

// The number after `name ` in Prometheus text (-1 when absent).
long metric(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stol(text.substr(at + name.size() + 2));
}

class CacheAckTest : public o4o::unit_test::TempSqliteTest {
 protected:
  // Until a has heard b's heartbeat (b's channel says "here" as it starts).
  static bool knows_peer(const o4o::core::CacheChannel& a, long peers = 1) {
    for (int i = 0; i < 200; ++i) {
      if (metric(a.render_metrics(), "o4o_cache_peers") == peers) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
};

// b hears of a's write 30 ms after it is published: a's writer is answered only after b has
// dropped the entry, and the write counts as acked.
TEST_F(CacheAckTest, TheWriterIsAnsweredOnceTheOtherInstanceHasDroppedTheEntry) {
  Bus bus;
  Endpoint a_bus(bus, std::chrono::milliseconds(0)), b_bus(bus, std::chrono::milliseconds(30));
  auto b_db = o4o::db::open_database(url("b.db"), {});
  ReadCache a_cache(1 << 20), b_cache(1 << 20);
  o4o::core::CacheChannel a(a_cache, a_bus, *db_);
  o4o::core::CacheChannel b(b_cache, b_bus, *b_db);
  ASSERT_TRUE(knows_peer(a));
  for (int i = 0; i < 3; ++i) {
    put(b_cache, "p1", "1", "p:1");
    db_->write([](o4o::db::Connection& c) { c.note_change("p:1"); });
    EXPECT_EQ(b_cache.find("p1", 0), nullptr) << "write " << i;
  }
  const auto m = a.render_metrics();
  EXPECT_EQ(metric(m, "o4o_cache_acked_writes_total"), 3);
  EXPECT_EQ(metric(m, "o4o_cache_ack_timeouts_total"), 0);
  b_db->close();
}

// An instance that does not answer holds a write for at most 100 ms, counted; one that stops
// says so and is not waited for at all.
TEST_F(CacheAckTest, ASilentInstanceDelaysWritesBoundedlyAndAStoppedOneNotAtAll) {
  Bus bus;
  Endpoint a_bus(bus, std::chrono::milliseconds(0));
  auto b_bus = std::make_unique<Endpoint>(bus, std::chrono::milliseconds(0));
  auto b_db = o4o::db::open_database(url("b.db"), {});
  ReadCache a_cache(1 << 20), b_cache(1 << 20);
  o4o::core::CacheChannel a(a_cache, a_bus, *db_);
  auto b = std::make_unique<o4o::core::CacheChannel>(b_cache, *b_bus, *b_db);
  ASSERT_TRUE(knows_peer(a));
  b_bus->deaf = true;
  auto t0 = std::chrono::steady_clock::now();
  db_->write([](o4o::db::Connection& c) { c.note_change("p:1"); });
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, std::chrono::milliseconds(90));
  EXPECT_LT(took, std::chrono::milliseconds(1000));
  EXPECT_EQ(metric(a.render_metrics(), "o4o_cache_ack_timeouts_total"), 1);

  b_bus->deaf = false;
  b.reset();  // says "bye"
  ASSERT_TRUE(knows_peer(a, 0));
  t0 = std::chrono::steady_clock::now();
  db_->write([](o4o::db::Connection& c) { c.note_change("p:1"); });
  took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, std::chrono::milliseconds(90));
  EXPECT_EQ(metric(a.render_metrics(), "o4o_cache_ack_timeouts_total"), 1);
  b_db->close();
}

}  // namespace
