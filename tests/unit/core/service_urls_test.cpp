// The redis URL of --redis / O4O_REDIS_URL and the database URL: what they may hold, and clear
// refusals that never echo a password.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/config.hpp"
#include "core/pubsub.hpp"

using o4o::core::parse_redis_url;

TEST(RedisUrl, ReadsHostPortAndCredentials) {
  auto a = parse_redis_url("redis://127.0.0.1:6380");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 6380);
  EXPECT_TRUE(a.user.empty());
  EXPECT_TRUE(a.password.empty());

  a = parse_redis_url("redis://cache.internal");
  EXPECT_EQ(a.host, "cache.internal");
  EXPECT_EQ(a.port, 6379);

  // A password alone (requirepass), and a user with a percent-encoded password (ACL).
  a = parse_redis_url("redis://:s3cret@localhost:6379/0");
  EXPECT_TRUE(a.user.empty());
  EXPECT_EQ(a.password, "s3cret");
  a = parse_redis_url("redis://o4o:p%40ss%3Aword@[::1]:7000/2");
  EXPECT_EQ(a.user, "o4o");
  EXPECT_EQ(a.password, "p@ss:word");
  EXPECT_EQ(a.host, "::1");
  EXPECT_EQ(a.port, 7000);
}

TEST(RedisUrl, RefusesWhatItCannotUseWithoutEchoingThePassword) {
  for (const char* bad :
       {"127.0.0.1:6379", "rediss://:hunter2@host", "http://host", "redis://", "redis://:hunter2@",
        "redis://host:99999", "redis://host:port", "redis://o4o@host", "redis://host/db0",
        "redis://:hunter2@host/0?timeout=1", "redis://host/0/1"}) {
    try {
      parse_redis_url(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("redis URL"), std::string::npos) << e.what();
    }
  }
}

// The same checks at start: a mistyped URL is refused before anything connects, and the error
// line a deploy log keeps does not carry the password.
TEST(RedisUrl, ConfigRefusesBadUrlsWithoutEchoingPasswords) {
  o4o::core::Config c;
  c.redis_url = "redis://:hunter2@cache:port";
  try {
    o4o::core::validate_config(c);
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
  c.redis_url.clear();
  c.database_url = "postgress://o4o:hunter2@db/o4o";
  try {
    o4o::core::validate_config(c);
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("postgress:"), std::string::npos) << e.what();
  }
}
