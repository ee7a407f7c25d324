// Password policy and Argon2id hashing.
#include <gtest/gtest.h>

#include <string>

#include "core/password.hpp"

namespace {

using o4o::core::password_problem;

TEST(AuthPasswordPolicy, AcceptsEightToOneHundredTwentyEightCharacters) {
  EXPECT_FALSE(password_problem("Zq8#kLm2"));
  EXPECT_FALSE(password_problem(std::string(128, 'k') + ""));
  EXPECT_TRUE(password_problem("Zq8#kLm"));
  EXPECT_TRUE(password_problem(std::string(129, 'k')));
  EXPECT_TRUE(password_problem(""));
}

TEST(AuthPasswordPolicy, CountsCharactersNotBytes) {
  // 8 Hangul syllables are 24 bytes: long enough. 7 of them (21 bytes) are not.
  EXPECT_FALSE(password_problem("비밀번호를잊지마"));
  EXPECT_TRUE(password_problem("비밀번호를잊지"));
  // 128 three-byte characters are 384 bytes and still allowed; 129 are not.
  std::string long_ok;
  for (int i = 0; i < 128; ++i) long_ok += "가";
  EXPECT_FALSE(password_problem(long_ok));
  EXPECT_TRUE(password_problem(long_ok + "가"));
}

TEST(AuthPasswordPolicy, RefusesCommonPasswordsInAnyCase) {
  for (const char* p : {"password123", "Password123", "PASSWORD123", "qwertyuiop", "iloveyou1"}) {
    auto problem = password_problem(p);
    ASSERT_TRUE(problem) << p;
    EXPECT_NE(problem->find("common"), std::string::npos) << *problem;
  }
  EXPECT_FALSE(password_problem("Corr3ct-Horse-Battery"));
}

TEST(AuthPasswordHash, IsArgon2idAndVerifiesExactly) {
  const std::string hash = o4o::core::hash_password("Corr3ct-Horse-Battery");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_NE(hash, o4o::core::hash_password("Corr3ct-Horse-Battery")) << "salted";
  EXPECT_TRUE(o4o::core::verify_password("Corr3ct-Horse-Battery", hash));
  EXPECT_FALSE(o4o::core::verify_password("corr3ct-horse-battery", hash));
  EXPECT_FALSE(o4o::core::verify_password("Corr3ct-Horse-Battery ", hash));
  EXPECT_FALSE(o4o::core::verify_password("Corr3ct-Horse-Batter", hash));
  EXPECT_FALSE(o4o::core::verify_password("Corr3ct-Horse-Battery", ""));
  EXPECT_FALSE(o4o::core::verify_password("Corr3ct-Horse-Battery", "$argon2id$garbage"));
}

TEST(AuthPasswordHash, DummyHashMatchesNothingUsual) {
  const std::string& dummy = o4o::core::dummy_password_hash();
  EXPECT_EQ(dummy.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(&dummy, &o4o::core::dummy_password_hash()) << "computed once";
  EXPECT_FALSE(o4o::core::verify_password("", dummy));
  EXPECT_FALSE(o4o::core::verify_password("Corr3ct-Horse-Battery", dummy));
}

}  // namespace
