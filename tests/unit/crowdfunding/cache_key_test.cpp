// The read cache's keys of the project reads (CrowdfundingService::project_key, list_key), as the
// route's cached read and the service both name them.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/http.hpp"
#include "core/pagination.hpp"
#include "services/crowdfunding/requests.hpp"
#include "services/crowdfunding/service.hpp"

namespace cf = o4o::services::crowdfunding;

namespace {

std::optional<std::string> project_list_key(
    std::vector<std::pair<std::string, std::string>> query) {
  o4o::core::Request req;
  req.query = std::move(query);
  const auto page = o4o::core::parse_page(req);
  return cf::CrowdfundingService::list_key(cf::parse_project_filter(req), page);
}

TEST(ProjectCacheKey, OneKeyForEverySpellingOfTheSameFirstPage) {
  const auto plain = project_list_key({});
  ASSERT_TRUE(plain);
  EXPECT_EQ(project_list_key({{"limit", "20"}, {"page", "1"}}), plain);
  EXPECT_EQ(project_list_key({{"sort", "newest"}}), plain);
  EXPECT_EQ(project_list_key({{"q", ""}, {"creatorId", ""}}), plain);
  EXPECT_NE(project_list_key({{"sort", "popular"}}), plain);
  EXPECT_NE(project_list_key({{"limit", "12"}}), plain);
}

TEST(ProjectCacheKey, FiltersSearchesAndLaterPagesAreNotCached) {
  EXPECT_FALSE(project_list_key({{"status", "active"}}));
  EXPECT_FALSE(project_list_key({{"q", "film"}}));
  EXPECT_FALSE(project_list_key({{"creatorId", "someone"}}));
  EXPECT_FALSE(project_list_key({{"page", "2"}}));
  EXPECT_THROW(project_list_key({{"status", "sleeping"}}), o4o::core::ApiError);
  EXPECT_THROW(project_list_key({{"limit", "101"}}), o4o::core::ApiError);
}

TEST(ProjectCacheKey, OnlyIdsWeCouldHaveIssuedHaveAKey) {
  const std::string id = "0b5c3f58-7c0e-4c1e-9a51-2f7c1c6d9e10";
  EXPECT_EQ(cf::CrowdfundingService::project_key(id), "crowdfunding.project:" + id);
  EXPECT_FALSE(cf::CrowdfundingService::project_key("42"));
}

}  // namespace
