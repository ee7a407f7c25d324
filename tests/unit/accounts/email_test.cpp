// The email rule every account goes through: trimmed, lowercased, plausible.
#include <gtest/gtest.h>

#include <string>

#include "accounts/accounts.hpp"

namespace {

using o4o::accounts::normalize_email;

TEST(AccountsEmail, TrimsAndLowercases) {
  EXPECT_EQ(normalize_email("  Alice.Smith+tag@Example.COM \t"), "alice.smith+tag@example.com");
  EXPECT_EQ(normalize_email("a@b.co"), "a@b.co");
  EXPECT_EQ(normalize_email("user@sub.domain-x.example.org"), "user@sub.domain-x.example.org");
}

TEST(AccountsEmail, RefusesImplausibleAddresses) {
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
