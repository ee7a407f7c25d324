// Pure rules of the e-commerce service: merging lines, lock order, lifecycle, money, search.
#include <gtest/gtest.h>

#include "core/json_body.hpp"
#include "services/ecommerce/rules.hpp"

namespace ec = o4o::services::ecommerce;

TEST(EcommerceRules, MergesLinesOfTheSameProductInFirstAppearanceOrder) {
  const auto merged = ec::merge_lines({{"b", 1}, {"a", 2}, {"b", 3}, {"c", 1}, {"a", 1}});
  ASSERT_TRUE(merged.has_value());
  ASSERT_EQ(merged->size(), 3u);
  EXPECT_EQ((*merged)[0].product_id, "b");
  EXPECT_EQ((*merged)[0].quantity, 4);
  EXPECT_EQ((*merged)[0].first_index, 0u);
  EXPECT_EQ((*merged)[1].product_id, "a");
  EXPECT_EQ((*merged)[1].quantity, 3);
  EXPECT_EQ((*merged)[1].first_index, 1u);
  EXPECT_EQ((*merged)[2].product_id, "c");
  EXPECT_EQ((*merged)[2].first_index, 3u);
}

TEST(EcommerceRules, MergedQuantityBeyondTheSafeRangeIsRefused) {
  EXPECT_FALSE(ec::merge_lines({{"a", o4o::core::kMaxSafeInteger}, {"a", 1}}).has_value());
  EXPECT_TRUE(ec::merge_lines({{"a", o4o::core::kMaxSafeInteger - 1}, {"a", 1}}).has_value());
}

TEST(EcommerceRules, LockOrderSortsByProductId) {
  const std::vector<ec::MergedLine> lines = {{"c", 1, 0}, {"a", 1, 1}, {"b", 1, 2}};
  EXPECT_EQ(ec::lock_order(lines), (std::vector<std::size_t>{1, 2, 0}));
}

TEST(EcommerceRules, TransitionsFollowTheArrows) {
  EXPECT_TRUE(ec::transition_allowed("pending", "paid"));
  EXPECT_TRUE(ec::transition_allowed("paid", "shipped"));
  EXPECT_TRUE(ec::transition_allowed("shipped", "delivered"));
  EXPECT_TRUE(ec::transition_allowed("pending", "cancelled"));
  EXPECT_TRUE(ec::transition_allowed("paid", "cancelled"));
  EXPECT_FALSE(ec::transition_allowed("pending", "shipped"));
  EXPECT_FALSE(ec::transition_allowed("shipped", "cancelled"));
  EXPECT_FALSE(ec::transition_allowed("delivered", "cancelled"));
  EXPECT_FALSE(ec::transition_allowed("cancelled", "cancelled"));
  EXPECT_FALSE(ec::transition_allowed("cancelled", "pending"));
  EXPECT_FALSE(ec::transition_allowed("paid", "paid"));
  EXPECT_FALSE(ec::transition_allowed("paid", "pending"));
}

TEST(EcommerceRules, OwnersOnlyCancelPendingOrders) {
  EXPECT_TRUE(ec::caller_may_transition(false, "pending", "cancelled"));
  EXPECT_FALSE(ec::caller_may_transition(false, "paid", "cancelled"));
  EXPECT_FALSE(ec::caller_may_transition(false, "pending", "paid"));
  EXPECT_TRUE(ec::caller_may_transition(true, "paid", "cancelled"));
  EXPECT_TRUE(ec::caller_may_transition(true, "pending", "paid"));
  EXPECT_FALSE(ec::caller_may_transition(true, "delivered", "cancelled"));
}

TEST(EcommerceRules, MoneyArithmeticStopsAtTheSafeInteger) {
  EXPECT_EQ(ec::checked_multiply(1500, 3), 4500);
  EXPECT_EQ(ec::checked_multiply(0, o4o::core::kMaxSafeInteger), 0);
  EXPECT_FALSE(ec::checked_multiply(o4o::core::kMaxSafeInteger, 2).has_value());
  EXPECT_EQ(ec::checked_add(1, 2), 3);
  EXPECT_FALSE(ec::checked_add(o4o::core::kMaxSafeInteger, 1).has_value());
}

TEST(EcommerceRules, SortNames) {
  EXPECT_EQ(ec::parse_sort("price"), ec::ProductSort::price_asc);
  EXPECT_EQ(ec::parse_sort("-price"), ec::ProductSort::price_desc);
  EXPECT_EQ(ec::parse_sort("createdAt"), ec::ProductSort::created_asc);
  EXPECT_EQ(ec::parse_sort("-createdAt"), ec::ProductSort::created_desc);
  EXPECT_FALSE(ec::parse_sort("name").has_value());
}
