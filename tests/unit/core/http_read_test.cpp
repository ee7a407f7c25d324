// http_read::split_plain_target, the quick way for plain targets, against Boost.URL's parse of the
// same targets: the same path and query for everything it takes, and it leaves the rest alone.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/http_read.hpp"

using namespace o4o::core;

namespace {
Request with_target(std::string target) {
  Request r;
  r.target = std::move(target);
  return r;
}
}  // namespace

TEST(HttpReadTarget, PlainTargetsSplitAsBoostUrlSplitsThem) {
  // Characters of both kinds: plain ones, the separators, and what needs Boost.URL ('%', '+',
  // '#', a space, a quote).
  const std::string alphabet = "az09-._~!$&'()*,;=:@/?=?=&&/%+# \"";
  std::mt19937 gen(17);
  std::uniform_int_distribution<std::size_t> length(0, 24), pick(0, alphabet.size() - 1);
  std::size_t taken = 0, left = 0;
  for (int n = 0; n < 200000; ++n) {
    std::string target = n % 10 == 0 ? "" : "/";
    for (std::size_t k = length(gen); k > 0; --k) target += alphabet[pick(gen)];
    Request quick = with_target(target);
    if (!http_read::split_plain_target(quick)) {
      ++left;
      EXPECT_TRUE(quick.path.empty() && quick.query.empty()) << target;
      continue;
    }
    ++taken;
    Request parsed = with_target(target);
    ASSERT_FALSE(http_read::split_target_parsed(parsed)) << target;
    ASSERT_EQ(quick.path, parsed.path) << target;
    ASSERT_EQ(quick.query, parsed.query) << target;
  }
  // Both ways were exercised, often.
  EXPECT_GT(taken, 20000u);
  EXPECT_GT(left, 20000u);
}

TEST(HttpReadTarget, TheUsualTargetsAndTheEdgesOfTheQuery) {
  for (const char* target : {"/api/v1/ecommerce/products?limit=20", "/healthz", "/x?", "/x?&",
                             "/x?a&&b=", "/x?=b", "/x?a=b=c", "//x", "/x/?a?b=c?"}) {
    Request quick = with_target(target), parsed = with_target(target);
    ASSERT_TRUE(http_read::split_plain_target(quick)) << target;
    ASSERT_FALSE(http_read::split_target_parsed(parsed)) << target;
    EXPECT_EQ(quick.path, parsed.path) << target;
    EXPECT_EQ(quick.query, parsed.query) << target;
  }
  Request r = with_target("/api/v1/ecommerce/products?limit=20&q=");
  ASSERT_TRUE(http_read::split_plain_target(r));
  EXPECT_EQ(r.path, "/api/v1/ecommerce/products");
  ASSERT_EQ(r.query.size(), 2u);
  EXPECT_EQ(r.query[0], (std::pair<std::string, std::string>{"limit", "20"}));
  EXPECT_EQ(r.query[1], (std::pair<std::string, std::string>{"q", ""}));
  // Escapes, '+' and anything not origin form are Boost.URL's.
  for (const char* target : {"/a%20b", "/a?q=a+b", "*", "http://x/", "/a b", "/a#f", ""}) {
    Request other = with_target(target);
    EXPECT_FALSE(http_read::split_plain_target(other)) << target;
  }
  Request bad = with_target("/a b");
  EXPECT_TRUE(http_read::split_target(bad).has_value());  // still a 400
}
