#include <gtest/gtest.h>

#include "services/ecommerce/sql_text.hpp"

namespace ec = o4o::services::ecommerce;

TEST(EcommerceSqlText, ReplacesEveryMarker) {
  std::string sql = "SELECT 1";
  ec::append_numbered(sql, " WHERE a LIKE $? OR b LIKE $?", 3);
  EXPECT_EQ(sql, "SELECT 1 WHERE a LIKE $3 OR b LIKE $3");
}

TEST(EcommerceSqlText, PlaceholderList) {
  EXPECT_EQ(ec::placeholder_list(1, 3), "$1, $2, $3");
  std::string sql;
  ec::append_fragment(sql, "x IN ($?)", ec::placeholder_list(2, 2));
  EXPECT_EQ(sql, "x IN ($2, $3)");
}
