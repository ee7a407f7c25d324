// core/ids: the time-ordered UUIDs of orders and pledges.
#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

namespace {

using namespace o4o::core;

TEST(CoreIds, TimeOrderedUuidIsAVersion7UuidCarryingTheTime) {
  const int64_t ms = 1796547600123;
  const std::string id = new_time_ordered_uuid(ms);
  ASSERT_TRUE(is_uuid(id)) << id;
  EXPECT_EQ(id[14], '7') << id;                                    // the version
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // the RFC 4122 variant
  char expected[13];
  std::snprintf(expected, sizeof expected, "%012llx", static_cast<unsigned long long>(ms));
  EXPECT_EQ(id.substr(0, 8) + id.substr(9, 4), expected);
}

TEST(CoreIds, TimeOrderedUuidsSortByTimeAndDifferWithinOneMillisecond) {
  std::set<std::string> same_ms;
  for (int i = 0; i < 1000; ++i) same_ms.insert(new_time_ordered_uuid(1000));
  EXPECT_EQ(same_ms.size(), 1000u);
  // Later milliseconds sort after earlier ones as text, which is what the indexes compare.
  std::string previous = new_time_ordered_uuid(1000);
  for (int64_t ms : {1001LL, 1256LL, 65536LL, 4102444800000LL}) {
    const std::string next = new_time_ordered_uuid(ms);
    EXPECT_LT(previous, next);
    previous = next;
  }
}

}  // namespace
