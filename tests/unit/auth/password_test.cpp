// Password policy, Argon2id hashing and email normalisation.
#include <gtest/gtest.h>

#include <string>

#include "accounts/accounts.hpp"
#include "core/password.hpp"

namespace {

using o4o::accounts::normalize_email;
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

TEST(AuthEmail, TrimsAndLowercases) {
  EXPECT_EQ(normalize_email("  Alice.Smith+tag@Example.COM \t"), "alice.smith+tag@example.com");
  EXPECT_EQ(normalize_email("a@b.co"), "a@b.co");
  EXPECT_EQ(normalize_email("user@sub.domain-x.example.org"), "user@sub.domain-x.example.org");
}

TEST(AuthEmail, RefusesImplausibleAddresses) {
  for (const char* bad :
       {"", "   ", "plainaddress", "@example.com", "user@", "user@example", "user@@example.com",
        "us er@example.com", "user@exa mple.com", "user@.example.com", "user@example..com",
        "user@-example.com", "user@example.c", ".user@example.com", "us..er@example.com",
        "user@exam_ple.com", "<user>@example.com"}) {
    EXPECT_FALSE(normalize_email(bad)) << bad;
  }
  EXPECT_FALSE(normalize_email(std::string(65, 'a') + "@example.com")) << "local part over 64";
  EXPECT_FALSE(normalize_email("a@" + std::string(250, 'b') + ".com")) << "over 254";
}

}  // namespace
