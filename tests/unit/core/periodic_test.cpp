// core::Periodic: a background task runs with no one calling it, again at once while it has work
// left, goes on after a failure, and stops promptly even in the middle of a long interval.
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
  core::Periodic task("test", 10ms, 1h, [&] { return ++ticks < 3; });
  EXPECT_TRUE(eventually([&] { return ticks.load() == 3; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(ticks.load(), 3);
}

TEST(Periodic, GoesOnAfterATickFailsAndStopsAtOnceMidInterval) {
  std::atomic<int> ticks{0};
  {
    core::Periodic task("test", 1ms, 5ms, [&]() -> bool {
      if (++ticks == 1) throw std::runtime_error("the first tick fails");
      return false;
    });
    EXPECT_TRUE(eventually([&] { return ticks.load() >= 3; }));
  }
  core::Periodic idle("idle", 1h, 1h, [&] { return false; });
  const auto before = std::chrono::steady_clock::now();
  idle.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
  const int after_stop = ticks.load();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ticks.load(), after_stop);  // the first task's thread ended with its scope
}
