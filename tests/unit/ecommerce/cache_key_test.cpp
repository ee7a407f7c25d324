// The read cache's keys of the product reads (ProductService::product_key, list_key), as the
// route's cached read and the service both name them: one key for every spelling of the same
// request, different keys for different answers, none for what is not cached.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/http.hpp"
#include "services/ecommerce/product_service.hpp"
#include "services/ecommerce/requests.hpp"

namespace ec = o4o::services::ecommerce;

namespace {

std::optional<std::string> product_list_key(
    std::vector<std::pair<std::string, std::string>> query) {
  o4o::core::Request req;
  req.query = std::move(query);
  return ec::ProductService::list_key(ec::parse_product_query(req));
}

TEST(ProductCacheKey, OneKeyForEverySpellingOfTheSameFirstPage) {
  const auto plain = product_list_key({});
  ASSERT_TRUE(plain);
  EXPECT_EQ(product_list_key({{"limit", "20"}}), plain);  // the default limit
  EXPECT_EQ(product_list_key({{"page", "1"}, {"limit", "20"}}), plain);
  EXPECT_EQ(product_list_key({{"limit", "20"}, {"sort", "-createdAt"}}),
            plain);                                                   // the default sort
  EXPECT_EQ(product_list_key({{"category", ""}, {"q", ""}}), plain);  // empty filters are none
  EXPECT_EQ(product_list_key({{"limit", "20"}, {"unknown", "x"}}),
            plain);  // ignored by the handler too
}

TEST(ProductCacheKey, DifferentAnswersHaveDifferentKeys) {
  const auto plain = product_list_key({});
  EXPECT_NE(product_list_key({{"limit", "10"}}), plain);
  EXPECT_NE(product_list_key({{"sort", "price"}}), plain);
  EXPECT_NE(product_list_key({{"sort", "price"}}), product_list_key({{"sort", "-price"}}));
  EXPECT_NE(product_list_key({{"category", "tea"}}), plain);
  EXPECT_NE(product_list_key({{"category", "tea"}}), product_list_key({{"category", "coffee"}}));
}

TEST(ProductCacheKey, SearchesAndLaterPagesAreNotCached) {
  EXPECT_FALSE(product_list_key({{"q", "tea"}}));
  EXPECT_FALSE(product_list_key({{"page", "2"}}));
}

TEST(ProductCacheKey, ABadQueryIsRefusedBeforeAnyKey) {
  EXPECT_THROW(product_list_key({{"limit", "0"}}), o4o::core::ApiError);
  EXPECT_THROW(product_list_key({{"limit", "abc"}}), o4o::core::ApiError);
  EXPECT_THROW(product_list_key({{"sort", "name"}}), o4o::core::ApiError);
}

TEST(ProductCacheKey, OnlyIdsWeCouldHaveIssuedHaveAKey) {
  const std::string id = "0b5c3f58-7c0e-4c1e-9a51-2f7c1c6d9e10";
  EXPECT_EQ(ec::ProductService::product_key(id), "ecommerce.product:" + id);
  EXPECT_FALSE(ec::ProductService::product_key("not-an-id"));
  EXPECT_FALSE(ec::ProductService::product_key(""));
}

}  // namespace
