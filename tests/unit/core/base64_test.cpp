// core/base64: the four RFC 4648 variants over libsodium, and how strictly each one decodes.
#include "core/base64.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace {

using o4o::core::Base64;
using o4o::core::base64_decode;
using o4o::core::base64_encode;

constexpr std::array kVariants{Base64::standard, Base64::standard_unpadded, Base64::url,
                               Base64::url_unpadded};

// RFC 4648 section 10's test vectors.
TEST(CoreBase64, EncodesTheRfcVectors) {
  const std::array<std::pair<std::string, std::string>, 7> vectors{{{"", ""},
                                                                    {"f", "Zg=="},
                                                                    {"fo", "Zm8="},
                                                                    {"foo", "Zm9v"},
                                                                    {"foob", "Zm9vYg=="},
                                                                    {"fooba", "Zm9vYmE="},
                                                                    {"foobar", "Zm9vYmFy"}}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(base64_encode(bytes, Base64::standard), text);
    EXPECT_EQ(base64_encode(bytes, Base64::url), text);
    const std::string bare = text.substr(0, text.find('='));
    EXPECT_EQ(base64_encode(bytes, Base64::standard_unpadded), bare);
    EXPECT_EQ(base64_encode(bytes, Base64::url_unpadded), bare);
    for (auto v : kVariants) {
      const bool padded = v == Base64::standard || v == Base64::url;
      EXPECT_EQ(base64_decode(padded ? text : bare, v), bytes) << text;
    }
  }
}

TEST(CoreBase64, TheAlphabetsDifferInTheirLastTwoCharacters) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(base64_encode(bytes, Base64::standard), "+/+/");
  EXPECT_EQ(base64_encode(bytes, Base64::url), "-_-_");
  EXPECT_EQ(base64_decode("+/+/", Base64::standard), bytes);
  EXPECT_EQ(base64_decode("-_-_", Base64::url_unpadded), bytes);
  // Each variant refuses the other alphabet's characters.
  EXPECT_EQ(base64_decode("-_-_", Base64::standard), std::nullopt);
  EXPECT_EQ(base64_decode("-_-_", Base64::standard_unpadded), std::nullopt);
  EXPECT_EQ(base64_decode("+/+/", Base64::url), std::nullopt);
  EXPECT_EQ(base64_decode("+/+/", Base64::url_unpadded), std::nullopt);
}

TEST(CoreBase64, EveryLengthAndByteRoundTripsInEveryVariant) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    for (auto v : kVariants) {
      const std::string text = base64_encode(bytes, v);
      EXPECT_EQ(base64_decode(text, v), bytes) << text;
    }
    bytes += static_cast<char>((i * 97 + 13) & 0xFF);
  }
}

TEST(CoreBase64, EmptyTextIsNoBytes) {
  for (auto v : kVariants) {
    EXPECT_EQ(base64_encode("", v), "");
    EXPECT_EQ(base64_decode("", v), std::string());
  }
}

TEST(CoreBase64, RefusesCharactersOutsideTheAlphabet) {
  for (auto v : kVariants) {
    for (const char* text : {"Zm9v!", "Zm 9v", "Zm9v\n", "\tZm9v", "Zm9v."}) {
      EXPECT_EQ(base64_decode(text, v), std::nullopt) << text;
    }
    EXPECT_EQ(base64_decode(std::string_view("Zm9v\0", 5), v), std::nullopt);
    EXPECT_EQ(base64_decode("한글", v), std::nullopt);
  }
}

TEST(CoreBase64, PaddedVariantsNeedExactlyTheirPadding) {
  for (auto v : {Base64::standard, Base64::url}) {
    EXPECT_EQ(base64_decode("Zg==", v), "f");
    EXPECT_EQ(base64_decode("Zg", v), std::nullopt);     // missing
    EXPECT_EQ(base64_decode("Zg=", v), std::nullopt);    // short
    EXPECT_EQ(base64_decode("Zg===", v), std::nullopt);  // too much
    EXPECT_EQ(base64_decode("Zm8", v), std::nullopt);
    EXPECT_EQ(base64_decode("Zm8==", v), std::nullopt);
    EXPECT_EQ(base64_decode("Zm9v=", v), std::nullopt);     // after a full group
    EXPECT_EQ(base64_decode("Zg==Zm8=", v), std::nullopt);  // in the middle
    EXPECT_EQ(base64_decode("====", v), std::nullopt);
  }
}

TEST(CoreBase64, UnpaddedVariantsRefuseAnyPadding) {
  for (auto v : {Base64::standard_unpadded, Base64::url_unpadded}) {
    EXPECT_EQ(base64_decode("Zg", v), "f");
    EXPECT_EQ(base64_decode("Zg==", v), std::nullopt);
    EXPECT_EQ(base64_decode("Zm8=", v), std::nullopt);
    EXPECT_EQ(base64_decode("=", v), std::nullopt);
  }
}

TEST(CoreBase64, RefusesALoneLastCharacterAndNonZeroLeftoverBits) {
  for (auto v : kVariants) {
    const bool padded = v == Base64::standard || v == Base64::url;
    EXPECT_EQ(base64_decode("Z", v), std::nullopt);
    EXPECT_EQ(base64_decode("Zm9vY", v), std::nullopt);
    // "Zh" carries the same byte as "Zg" with a stray low bit: one spelling per byte string.
    EXPECT_EQ(base64_decode(padded ? "Zh==" : "Zh", v), std::nullopt);
    EXPECT_EQ(base64_decode(padded ? "Zm9=" : "Zm9", v), std::nullopt);
  }
}

}  // namespace
