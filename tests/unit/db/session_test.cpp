// db::Session and WAL positions: what the dispatcher and the replica routing rely on.
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "db/session.hpp"

using namespace o4o;

TEST(DbLsn, ParsesAndFormatsPostgresPositions) {
  EXPECT_EQ(db::parse_lsn("0/0"), db::Lsn{0});
  EXPECT_EQ(db::parse_lsn("16/B374D848"), db::Lsn{0x16B374D848});
  EXPECT_EQ(db::parse_lsn("16/b374d848"), db::Lsn{0x16B374D848});
  EXPECT_EQ(db::parse_lsn("FFFFFFFF/FFFFFFFF"), ~db::Lsn{0});
  EXPECT_EQ(db::format_lsn(0x16B374D848), "16/B374D848");
  EXPECT_EQ(db::format_lsn(0), "0/0");
  for (db::Lsn v : {db::Lsn{1}, db::Lsn{0x100000000}, db::Lsn{0xABCDEF0123456789}})
    EXPECT_EQ(db::parse_lsn(db::format_lsn(v)), v);
}

TEST(DbLsn, RejectsAnythingElse) {
  for (const char* bad : {"", "/", "0/", "/0", "16B374D848", "1/2/3", "G/0", "0/-1", "+1/0",
                          "123456789/0", "0/123456789", " 0/1", "0/1 ", "0x1/0"})
    EXPECT_FALSE(db::parse_lsn(bad).has_value()) << bad;
}

TEST(DbSession, KeepsTheHighestPositionsAndEachKeyOnce) {
  db::Session s;
  s.add_key("a:10.0.0.1");
  s.add_key("u:42");
  s.add_key("a:10.0.0.1");
  EXPECT_EQ(s.keys(), (std::vector<std::string>{"a:10.0.0.1", "u:42"}));
  s.wrote(100);
  s.wrote(50);
  EXPECT_EQ(s.written(), 100u);
  s.need(7);
  s.need(3);
  EXPECT_EQ(s.needed(), 7u);
}

TEST(DbSession, IsInScopeOnItsThreadOnly) {
  EXPECT_EQ(db::Session::current(), nullptr);
  auto outer = std::make_shared<db::Session>();
  db::Session inner;
  {
    db::Session::Scope a(outer.get());
    EXPECT_EQ(db::Session::current(), outer.get());
    {
      db::Session::Scope b(&inner);
      EXPECT_EQ(db::Session::current(), &inner);
      db::Session* elsewhere = &inner;
      std::thread([&] { elsewhere = db::Session::current(); }).join();
      EXPECT_EQ(elsewhere, nullptr);
    }
    EXPECT_EQ(db::Session::current(), outer.get());
  }
  EXPECT_EQ(db::Session::current(), nullptr);
}
