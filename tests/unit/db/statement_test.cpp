// db::Statement numbers parameters as they are bound, and fragments take their placeholders.
#include "db/statement.hpp"

#include <gtest/gtest.h>

using o4o::db::Statement;

TEST(DbStatement, NumbersParametersInTheOrderTheyAreBound) {
  Statement st;
  EXPECT_EQ(st.bind(std::string("u1")), "$1");
  EXPECT_EQ(st.bind_list({std::string("a"), std::string("b")}), "$2, $3");
  EXPECT_EQ(st.limit_offset(20, 40), " LIMIT $4 OFFSET $5 ");
  ASSERT_EQ(st.params().size(), 5u);
  EXPECT_EQ(st.params()[4].value(), o4o::db::Param(int64_t{40}).value());
}

TEST(DbStatement, AFragmentTakesOnePlaceholderAtEveryMarker) {
  Statement st;
  std::string sql = "SELECT 1 WHERE TRUE";
  o4o::db::append_fragment(sql, " AND (a LIKE $? OR b LIKE $?)", st.bind(std::string("%x%")));
  o4o::db::append_fragment(sql, " AND id IN ($?)",
                           st.bind_list({std::string("p"), std::string("q")}));
  EXPECT_EQ(sql, "SELECT 1 WHERE TRUE AND (a LIKE $1 OR b LIKE $1) AND id IN ($2, $3)");
  EXPECT_EQ(st.params().size(), 3u);
}
