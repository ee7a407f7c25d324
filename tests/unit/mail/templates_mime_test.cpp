// The outbox's MIME encoding (Korean subjects, long lines) and its retry schedule.
#include <gtest/gtest.h>

#include <string>

#include "core/base64.hpp"
#include "mail/mime.hpp"
#include "mail/retry.hpp"
#include "mail/templates.hpp"

namespace o4o::mail {
namespace {

// Base64 text, CRLF line breaks left out; every test's text must decode.
std::string decode_base64(const std::string& in) {
  std::string text;
  for (char c : in)
    if (c != '\r' && c != '\n') text += c;
  auto bytes = core::base64_decode(text, core::Base64::standard);
  EXPECT_TRUE(bytes.has_value()) << in;
  return bytes.value_or("");
}

// The text of "=?UTF-8?B?...?=" words, folded or not.
std::string decode_header(const std::string& header) {
  std::string out;
  std::size_t pos = 0;
  while ((pos = header.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const auto end = header.find("?=", pos + 10);
    out += decode_base64(header.substr(pos + 10, end - pos - 10));
    pos = end + 2;
  }
  return out;
}

TEST(MailMime, AsciiSubjectStaysAsItIs) {
  EXPECT_EQ(encode_header_text("Reset your password"), "Reset your password");
}

TEST(MailMime, KoreanSubjectBecomesEncodedWordsThatDecodeBack) {
  const std::string subject = "[O4O] 비밀번호 재설정 — 링크는 30분 동안 한 번만 쓸 수 있습니다";
  const std::string encoded = encode_header_text(subject);
  EXPECT_EQ(encoded.rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(decode_header(encoded), subject);
  // Every encoded-word is at most 75 characters; words are folded onto new lines.
  std::size_t start = 0;
  while (start < encoded.size()) {
    auto end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    EXPECT_LE(end - start, 75u);
    // Each word decodes on its own: no character is split between two words.
    const std::string word = encoded.substr(start, end - start);
    const std::string text = decode_header(word);
    ASSERT_FALSE(text.empty());
    EXPECT_NE(static_cast<unsigned char>(text[0]) & 0xC0, 0x80u);
    start = end + 3;
  }
}

TEST(MailMime, HeaderInjectionIsImpossible) {
  const std::string encoded = encode_header_text("Hi\r\nBcc: victim@example.com");
  EXPECT_EQ(encoded.find('\n'), std::string::npos);
  EXPECT_EQ(encoded.find('\r'), std::string::npos);
}

TEST(MailMime, LongLinesAreWrappedAt76AndDecodeBack) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "한글 long line ";
  const std::string lines = base64_lines(text);
  std::size_t start = 0;
  while (start < lines.size()) {
    const auto end = lines.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(decode_base64(lines), text);
}

TEST(MailMime, MessageHasBothPartsAndTheHeaders) {
  Message m{"오포오 <no-reply@o4o.test>", "kim@example.com", "환영합니다", "본문 text", "<p>본문</p>",
            0, "abc", "BOUNDARY"};
  const std::string msg = build_message(m);
  EXPECT_NE(msg.find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(msg.find(" <no-reply@o4o.test>\r\n"), std::string::npos);
  EXPECT_NE(msg.find("To: kim@example.com\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Message-ID: <abc@o4o.test>\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: multipart/alternative; boundary=\"BOUNDARY\""), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(msg.find("--BOUNDARY--\r\n"), std::string::npos);
  // No bare LF anywhere: SMTP wants CRLF.
  for (std::size_t i = 0; i < msg.size(); ++i) {
    if (msg[i] == '\n') {
      ASSERT_TRUE(i > 0 && msg[i - 1] == '\r') << i;
    }
  }
}

TEST(MailMime, MailboxParsing) {
  EXPECT_EQ(parse_mailbox("O4O <no-reply@o4o.local>").address, "no-reply@o4o.local");
  EXPECT_EQ(parse_mailbox("O4O <no-reply@o4o.local>").name, "O4O");
  EXPECT_EQ(parse_mailbox(" a@b.c ").address, "a@b.c");
  EXPECT_EQ(parse_mailbox("\"Shop, Inc\" <a@b.c>").name, "Shop, Inc");
}

TEST(MailRetry, PausesDoubleFrom30SecondsUpToAnHour) {
  EXPECT_EQ(retry_pause_ms(1), 30'000);
  EXPECT_EQ(retry_pause_ms(2), 60'000);
  EXPECT_EQ(retry_pause_ms(3), 120'000);
  EXPECT_EQ(retry_pause_ms(7), 1'920'000);
  EXPECT_EQ(retry_pause_ms(8), 3'600'000);
  EXPECT_EQ(retry_pause_ms(1000), 3'600'000);
}

TEST(MailRetry, GivesUpAfter24HoursWithALastTryAtTheMark) {
  const int64_t created = 1'000'000;
  EXPECT_EQ(next_attempt_at(1, created, created), created + 30'000);
  const int64_t late = created + kGiveUpAfterMs - 1'000;
  EXPECT_EQ(next_attempt_at(20, created, late), created + kGiveUpAfterMs);
  EXPECT_EQ(next_attempt_at(21, created, created + kGiveUpAfterMs), std::nullopt);
  // Over a day of failures the schedule makes about 30 tries, not thousands.
  int tries = 1;
  int64_t now = created;
  while (auto next = next_attempt_at(tries, created, now)) {
    now = *next;
    ++tries;
  }
  EXPECT_GT(tries, 20);
  EXPECT_LT(tries, 40);
}

TEST(MailTemplates, EveryKindInBothLanguagesEscapesHtml) {
  for (const char* kind : {"verify_email", "password_reset", "password_changed", "email_changed",
                           "order_paid", "order_shipped", "pledge_paid", "pledge_refunded",
                           "project_ended", "creator_request_approved", "creator_request_rejected",
                           "new_pledge", "paid_order_admin"}) {
    for (const char* locale : {"ko", "en"}) {
      const auto m = compose(kind, locale, {{"name", "<b>Kim</b>"}, {"link", "https://x/?a=1&b=2"}});
      EXPECT_NE(m.subject.find("O4O"), std::string::npos) << kind;
      EXPECT_NE(m.text.find("<b>Kim</b>"), std::string::npos) << kind;
      EXPECT_EQ(m.html.find("<b>Kim</b>"), std::string::npos) << kind;
      EXPECT_NE(m.html.find("&lt;b&gt;Kim&lt;/b&gt;"), std::string::npos) << kind;
    }
  }
  EXPECT_THROW(compose("nope", "ko", {}), std::invalid_argument);
}

TEST(MailTemplates, ProjectEndedSaysTheOutcomeInTheReadersWords) {
  const Params failed{{"name", "Kim"}, {"title", "Lanterns"}, {"status", "failed"}};
  EXPECT_NE(compose("project_ended", "ko", failed).text.find("목표 미달"), std::string::npos);
  EXPECT_NE(compose("project_ended", "en", failed).text.find("not reached"), std::string::npos);
  const Params won{{"name", "Kim"}, {"title", "Lanterns"}, {"status", "successful"}};
  EXPECT_NE(compose("project_ended", "ko", won).text.find("목표 달성"), std::string::npos);
  EXPECT_NE(compose("project_ended", "en", won).text.find("the goal was reached"), std::string::npos);
  EXPECT_EQ(compose("project_ended", "en", won).text.find("successful"), std::string::npos);
}

}  // namespace
}  // namespace o4o::mail
