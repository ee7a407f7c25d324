// core::Periodic: a background task runs with no one calling it, again at once while it has work
// left or when woken, goes on after a failure, and stops promptly even in the middle of a long
// interval or of a long tick that watches its stop token.
#include "core/periodic.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace o4o;
using namespace std::chrono_literals;

namespace {
// Waits up to 5 s for done().
template <class Done>
bool eventually(Done done) {
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}
}  // namespace

TEST(Periodic, TicksOnItsOwnAndAgainAtOnceWhileWorkIsLeft) {
  std::atomic<int> ticks{0};
  // Three chunks of work, then nothing: with an hour between intervals, all three ran in the
  // first pass.
  core::Periodic task("test", 10ms, 1h, [&](const std::stop_token&) { return ++ticks < 3; });
  EXPECT_TRUE(eventually([&] { return ticks.load() == 3; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(ticks.load(), 3);
}

TEST(Periodic, GoesOnAfterATickFailsAndStopsAtOnceMidInterval) {
  std::atomic<int> ticks{0};
  {
    core::Periodic task("test", 1ms, 5ms, [&](const std::stop_token&) -> bool {
      if (++ticks == 1) throw std::runtime_error("the first tick fails");
      return false;
    });
    EXPECT_TRUE(eventually([&] { return ticks.load() >= 3; }));
  }
  core::Periodic idle("idle", 1h, 1h, [&](const std::stop_token&) { return false; });
  const auto before = std::chrono::steady_clock::now();
  idle.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
  const int after_stop = ticks.load();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ticks.load(), after_stop);  // the first task's thread ended with its scope
}

TEST(Periodic, WakeRunsTheTickAtOnceAndAgainWhenWokenDuringIt) {
  std::atomic<int> ticks{0};
  std::atomic<bool> release{false};
  core::Periodic task("test", 1h, 1h, [&](const std::stop_token&) {
    ++ticks;
    while (ticks.load() == 1 && !release.load()) std::this_thread::sleep_for(1ms);
    return false;
  });
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ticks.load(), 0);  // an hour to the first tick
  task.wake();
  EXPECT_TRUE(eventually([&] { return ticks.load() == 1; }));
  task.wake();  // during the first tick: it runs once more after it, not never
  release = true;
  EXPECT_TRUE(eventually([&] { return ticks.load() == 2; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ticks.load(), 2);  // and then waits its hour again
}

TEST(Periodic, ALongTickSeesTheStopAndLeavesTheRest) {
  std::atomic<int> done{0};
  std::atomic<bool> started{false};
  core::Periodic task("test", 1ms, 1h, [&](const std::stop_token& stop) {
    started = true;
    for (int item = 0; item < 10'000 && !stop.stop_requested(); ++item) {
      std::this_thread::sleep_for(1ms);
      ++done;
    }
    return true;  // work left: only the stop ends the pass
  });
  EXPECT_TRUE(eventually([&] { return started.load(); }));
  const auto before = std::chrono::steady_clock::now();
  task.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
  EXPECT_LT(done.load(), 10'000);
}
