// core::HeldWakes: a thread that hands over many answers in a row wakes their threads once, after
// the last; without one open, a wake happens at once; a failing wake does not stop the others.
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "core/held_wakes.hpp"

namespace {

using o4o::core::HeldWakes;

TEST(HeldWakes, WakesAtOnceWhenNoneIsOpen) {
  int woken = 0;
  HeldWakes::wake([&] { ++woken; });
  EXPECT_EQ(woken, 1);
}

TEST(HeldWakes, HoldsWakesUntilTheOutermostCloses) {
  std::vector<int> order;
  {
    HeldWakes outer;
    HeldWakes::wake([&] { order.push_back(1); });
    {
      HeldWakes inner;
      HeldWakes::wake([&] { order.push_back(2); });
    }
    EXPECT_TRUE(order.empty()) << "the inner one closing must not wake yet";
    HeldWakes::wake([&] { order.push_back(3); });
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  HeldWakes::wake([&] { order.push_back(4); });  // closed: at once again
  EXPECT_EQ(order.size(), 4u);
}

TEST(HeldWakes, AFailingWakeDoesNotStopTheOthers) {
  int woken = 0;
  {
    HeldWakes held;
    HeldWakes::wake([] { throw std::runtime_error("cannot post"); });
    HeldWakes::wake([&] { ++woken; });
  }
  EXPECT_EQ(woken, 1);
}

TEST(HeldWakes, AnotherThreadsWakesAreNotHeld) {
  HeldWakes held;
  int woken = 0;
  std::thread([&] { HeldWakes::wake([&] { ++woken; }); }).join();
  EXPECT_EQ(woken, 1);
}

}  // namespace
