// Reading request bodies: every problem is reported, in one VALIDATION_ERROR.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/errors.hpp"
#include "core/json_body.hpp"
#include "services/crowdfunding/requests.hpp"
#include "support/json_body.hpp"

namespace cf = o4o::services::crowdfunding;
using o4o::core::ApiError;
using o4o::core::JsonBody;

namespace {

constexpr int64_t kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20Z

using o4o::unit_test::body;

// The fields named in the VALIDATION_ERROR details, or an empty list when nothing was thrown.
template <class F>
std::vector<std::string> failed_fields(F&& f) {
  std::vector<std::string> fields;
  try {
    f();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "VALIDATION_ERROR");
    for (const auto& d : e.details().as_array()) {
      fields.emplace_back(d.as_object().at("field").as_string());
    }
  }
  return fields;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST(CrowdfundingRequests, ReadsAFullProjectWithRewardsInOrder) {
  auto b = body(R"({"title":" Lanterns ","description":"d","imageUrl":"https://x.test/a.png",
    "goal":1000,"deadline":"2030-01-01T09:00:00+09:00","total":5,
    "rewards":[{"title":"B","minAmount":5},{"title":"A","description":"x","minAmount":1,"limit":3}]})");
  const auto p = cf::parse_new_project(b, kNow);
  EXPECT_EQ(p.title, "Lanterns");
  EXPECT_EQ(p.goal, 1000);
  EXPECT_EQ(p.deadline, 1893456000000);  // 2030-01-01T00:00:00Z
  ASSERT_EQ(p.image_url, "https://x.test/a.png");
  ASSERT_EQ(p.rewards.size(), 2u);
  EXPECT_EQ(p.rewards[0].title, "B");
  EXPECT_FALSE(p.rewards[0].limit.has_value());
  EXPECT_EQ(p.rewards[1].title, "A");
  EXPECT_EQ(p.rewards[1].limit, 3);
}

TEST(CrowdfundingRequests, ReportsEveryBadProjectField) {
  const auto fields = failed_fields([] {
    auto b = body(R"({"title":"","goal":0,"deadline":"2020-01-01T00:00:00Z","imageUrl":"ftp://x",
      "rewards":[{"title":"ok","minAmount":0,"limit":0}]})");
    cf::parse_new_project(b, kNow);
  });
  EXPECT_TRUE(has(fields, "title"));
  EXPECT_TRUE(has(fields, "description"));
  EXPECT_TRUE(has(fields, "goal"));
  EXPECT_TRUE(has(fields, "deadline"));
  EXPECT_TRUE(has(fields, "imageUrl"));
  EXPECT_TRUE(has(fields, "rewards[0].minAmount"));
  EXPECT_TRUE(has(fields, "rewards[0].limit"));
}

TEST(CrowdfundingRequests, DeadlineMustBeInTheFuture) {
  EXPECT_TRUE(has(failed_fields([] {
                    auto b = body(R"({"deadline":"2023-11-14T22:13:20Z"})");  // == now
                    cf::parse_project_changes(b, kNow);
                  }),
                  "deadline"));
  EXPECT_TRUE(has(failed_fields([] {
                    auto b = body(R"({"deadline":"tomorrow"})");
                    cf::parse_project_changes(b, kNow);
                  }),
                  "deadline"));
  auto ok = body(R"({"deadline":"2023-11-14T22:13:21Z"})");
  EXPECT_EQ(cf::parse_project_changes(ok, kNow).deadline, kNow + 1000);
}

TEST(CrowdfundingRequests, ChangesTellNullImageFromAbsentImage) {
  auto cleared = body(R"({"imageUrl":null})");
  const auto a = cf::parse_project_changes(cleared, kNow);
  EXPECT_TRUE(a.image_url_set);
  EXPECT_FALSE(a.image_url.has_value());

  auto untouched = body(R"({"title":"New"})");
  const auto b = cf::parse_project_changes(untouched, kNow);
  EXPECT_FALSE(b.image_url_set);
  EXPECT_EQ(b.title, "New");
}

TEST(CrowdfundingRequests, PledgeNeedsAPositiveIntegerAndAUuidReward) {
  EXPECT_TRUE(has(failed_fields([] {
                    auto b = body(R"({"amount":0})");
                    cf::parse_pledge(b);
                  }),
                  "amount"));
  EXPECT_TRUE(has(failed_fields([] {
                    auto b = body(R"({"amount":10.5})");
                    cf::parse_pledge(b);
                  }),
                  "amount"));
  EXPECT_TRUE(has(failed_fields([] {
                    auto b = body(R"({"amount":10,"rewardId":"nope"})");
                    cf::parse_pledge(b);
                  }),
                  "rewardId"));
  auto b = body(R"({"amount":10})");
  EXPECT_EQ(cf::parse_pledge(b).amount, 10);
}
