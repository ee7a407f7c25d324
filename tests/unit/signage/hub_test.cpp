// The stream hub and display service against a real SQLite database with a ManualClock, driving
// the background pass by hand: the first event, pushes on change, schedule windows pushed by the
// clock alone (a DST day in Europe/Berlin), rotation and deletion closing streams, and the
// online lease.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/pubsub.hpp"
#include "db/database.hpp"
#include "services/signage/display_service.hpp"
#include "services/signage/schedule_json.hpp"
#include "services/signage/stream_hub.hpp"
#include "support/temp_database.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace o4o::services::signage;

// 2026-03-28T23:30:00Z: 00:30 CET on the night Berlin springs forward.
constexpr int64_t kStart = 1774740600000;
constexpr int64_t kMinute = 60'000;

struct Event {
  std::string event;
  std::string id;
  json::value data;
};

// The events queued on a stream since the last call (keep-alive comments as event ":").
std::vector<Event> drain(o4o::core::EventStream& s) {
  std::vector<Event> out;
  for (const auto& chunk : s.take()) {
    if (chunk.starts_with(":")) {
      out.push_back({":", "", nullptr});
      continue;
    }
    Event e;
    std::size_t pos = 0;
    while (pos < chunk.size()) {
      auto nl = chunk.find('\n', pos);
      std::string line = chunk.substr(pos, nl - pos);
      pos = nl + 1;
      if (line.starts_with("event: ")) e.event = line.substr(7);
      if (line.starts_with("id: ")) e.id = line.substr(4);
      if (line.starts_with("data: ")) e.data = json::parse(line.substr(6));
    }
    out.push_back(std::move(e));
  }
  return out;
}

class SignageHubTest : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    pubsub_ = o4o::core::make_local_pubsub();
    service_ = std::make_unique<DisplayService>(*db_, clock_, *pubsub_);
    hub_ = std::make_shared<StreamHub>(*service_, *pubsub_);
  }
  void TearDown() override {
    hub_->stop();
    hub_.reset();
    service_.reset();
    TempSqliteTest::TearDown();
  }

  CreatedDisplay make(const std::string& text) {
    return service_->create("Lobby", "Hall", json::object{{"type", "text"}, {"value", text}});
  }
  bool online(const std::string& id) { return service_->find(id)->online(clock_.now_ms()); }

  o4o::core::ManualClock clock_{kStart};
  std::unique_ptr<o4o::core::PubSub> pubsub_;
  std::unique_ptr<DisplayService> service_;
  std::shared_ptr<StreamHub> hub_;
};

TEST_F(SignageHubTest, FirstEventThenOnePerChangeAndStatusFollowsTheStream) {
  auto made = make("hello");
  const auto& id = made.display.id;
  EXPECT_FALSE(online(id));
  auto stream = hub_->open(id, o4o::core::sha256_hex(made.device_token));
  ASSERT_TRUE(stream);
  auto first = drain(*stream);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].event, "content");
  EXPECT_EQ(first[0].data.at("status").as_string(), "online");
  EXPECT_EQ(first[0].data.at("activeContent").at("value").as_string(), "hello");
  EXPECT_TRUE(online(id));

  // A notice with nothing changed pushes nothing; a change pushes once.
  hub_->notice(id);
  hub_->process(false);
  EXPECT_TRUE(drain(*stream).empty());
  service_->set_content(id, json::object{{"type", "text"}, {"value", "bye"}});
  hub_->notice(id);
  hub_->notice(id);
  hub_->process(false);
  auto pushed = drain(*stream);
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_EQ(pushed[0].data.at("contentVersion").as_int64(), 2);
  EXPECT_NE(pushed[0].id, first[0].id);

  stream->ended();  // the client went away
  EXPECT_EQ(hub_->stream_count(id), 0u);
  hub_->process(false);
  EXPECT_FALSE(online(id));
  EXPECT_EQ(service_->find(id)->last_seen_at, clock_.now_ms());
}

TEST_F(SignageHubTest, ScheduleWindowsArePushedByTheClockAloneAcrossSpringForward) {
  auto made = make("plain");
  const auto& id = made.display.id;
  o4o::core::JsonBody body(json::parse(R"({"timezone":"Europe/Berlin","entries":[
      {"days":["sun"],"start":"01:00","end":"04:00","priority":1,
       "content":{"type":"text","value":"night"}}]})")
                               .as_object());
  service_->set_schedule(id, *parse_schedule(body));
  auto stream = hub_->open(id, o4o::core::sha256_hex(made.device_token));
  ASSERT_EQ(drain(*stream).at(0).data.at("activeContent").at("value").as_string(), "plain");

  auto shown_after = [&](int64_t at) {
    clock_.set_ms(at);
    hub_->process(false);
    std::vector<std::string> values;
    for (auto& e : drain(*stream))
      values.emplace_back(e.data.at("activeContent").at("value").as_string());
    return values;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(shown_after(kStart + 29 * kMinute), V{});          // 00:59 CET
  EXPECT_EQ(shown_after(kStart + 30 * kMinute), V{"night"});   // 01:00 CET: opens
  EXPECT_EQ(shown_after(kStart + 90 * kMinute), V{});          // 03:00 CEST: the clock jumped
  EXPECT_EQ(shown_after(kStart + 149 * kMinute), V{});         // 03:59 CEST
  EXPECT_EQ(shown_after(kStart + 150 * kMinute), V{"plain"});  // 04:00 CEST: closes
  EXPECT_EQ(service_->find(id)->content_version, 2);           // no write in between
}

TEST_F(SignageHubTest, RotationClosesStreamsAndDeletionSendsDeleted) {
  auto made = make("x");
  const auto& id = made.display.id;
  auto hash = o4o::core::sha256_hex(made.device_token);
  auto a = hub_->open(id, hash);
  drain(*a);
  auto fresh = service_->rotate_token(id);
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(hub_->open(id, hash)) << "the old token no longer opens a stream";
  hub_->notice(id);
  hub_->process(false);
  EXPECT_TRUE(a->closed());
  EXPECT_TRUE(drain(*a).empty());
  a->ended();

  auto b = hub_->open(id, o4o::core::sha256_hex(*fresh));
  ASSERT_TRUE(b);
  drain(*b);
  ASSERT_TRUE(service_->remove(id));
  hub_->notice(id);
  hub_->process(false);
  auto events = drain(*b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "deleted");
  EXPECT_EQ(events[0].data.at("id").as_string(), id);
  EXPECT_TRUE(b->closed());
}

TEST_F(SignageHubTest, KeepAlivesRenewTheOnlineLease) {
  auto made = make("x");
  const auto& id = made.display.id;
  auto stream = hub_->open(id, o4o::core::sha256_hex(made.device_token));
  drain(*stream);
  clock_.advance_ms(kLeaseMs - 1000);
  hub_->process(true);
  auto events = drain(*stream);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, ":");
  clock_.advance_ms(kLeaseMs - 1000);
  EXPECT_TRUE(online(id)) << "renewed by the keep-alive";
  clock_.advance_ms(2000);
  EXPECT_FALSE(online(id)) << "a lapsed lease (an instance that died) is offline";
  // A new stream after a lapse counts from one again.
  auto again = hub_->open(id, o4o::core::sha256_hex(made.device_token));
  stream->ended();
  hub_->process(false);
  EXPECT_TRUE(online(id));
  again->ended();
  hub_->process(false);
  EXPECT_FALSE(online(id));
}

TEST_F(SignageHubTest, StopClosesEveryStreamAndRecordsThemClosed) {
  auto made = make("x");
  auto stream = hub_->open(made.display.id, o4o::core::sha256_hex(made.device_token));
  EXPECT_TRUE(online(made.display.id));
  hub_->stop();
  EXPECT_TRUE(stream->closed());
  EXPECT_FALSE(online(made.display.id));
  EXPECT_FALSE(hub_->open(made.display.id, o4o::core::sha256_hex(made.device_token)));
}

TEST_F(SignageHubTest, AFifthStreamReplacesTheOldestAfterAReplacedEvent) {
  auto made = make("x");
  const auto& id = made.display.id;
  const auto hash = o4o::core::sha256_hex(made.device_token);
  std::vector<std::shared_ptr<o4o::core::EventStream>> streams;
  for (int i = 0; i < 4; ++i) {
    streams.push_back(hub_->open(id, hash));
    drain(*streams.back());
  }
  EXPECT_EQ(hub_->stream_count(id), 4u);
  auto fifth = hub_->open(id, hash);
  ASSERT_TRUE(fifth);
  EXPECT_EQ(hub_->stream_count(id), 4u);
  EXPECT_TRUE(streams[0]->closed());
  auto last = drain(*streams[0]);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].event, "replaced");
  for (int i = 1; i < 4; ++i) EXPECT_FALSE(streams[i]->closed());
  streams[0]->ended();  // the session ends it: nothing left to release, counted once
  hub_->process(false);
  EXPECT_TRUE(online(id));
  for (int i = 1; i < 4; ++i) streams[i]->ended();
  fifth->ended();
  hub_->process(false);
  EXPECT_FALSE(online(id)) << "every stream counted closed exactly once";
}

TEST_F(SignageHubTest, AStreamThatIsNotReadHoldsOnlyTheNewestState) {
  auto made = make("v0");
  const auto& id = made.display.id;
  auto stream = hub_->open(id, o4o::core::sha256_hex(made.device_token));
  for (int i = 1; i <= 20; ++i) {
    std::string value = "v";
    value.append(std::to_string(i));  // (not "v" + ...: GCC 12's -Wrestrict false positive)
    service_->set_content(id, json::object{{"type", "text"}, {"value", value}});
    hub_->notice(id);
    hub_->process(i % 5 == 0);  // keep-alives too
  }
  EXPECT_EQ(stream->queued(), 1u);
  auto events = drain(*stream);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data.at("activeContent").at("value").as_string(), "v20");
  EXPECT_EQ(events[0].data.at("contentVersion").as_int64(), 21);
}

}  // namespace
