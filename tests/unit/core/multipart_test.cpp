// The streaming multipart/form-data parser: every split of the input gives the same parts, and the
// edge cases (boundaries split across reads, a missing closing boundary, huge headers) are errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/multipart.hpp"

using namespace o4o::core::multipart;

namespace {

struct Collect : Parser::Handler {
  struct Part {
    PartHeaders headers;
    std::string data;
    bool ended = false;
  };
  std::vector<Part> parts;
  bool on_part(const PartHeaders& h) override {
    parts.push_back({h, "", false});
    return true;
  }
  bool on_data(std::string_view b) override {
    parts.back().data.append(b);
    return true;
  }
  bool on_part_end() override {
    parts.back().ended = true;
    return true;
  }
};

const std::string kBoundary = "----WebKitFormBoundaryX3b9";

std::string form() {
  return "preamble to ignore\r\n"
         "------WebKitFormBoundaryX3b9\r\n"
         "Content-Disposition: form-data; name=\"title\"\r\n"
         "\r\n"
         "hello\r\n"
         "------WebKitFormBoundaryX3b9\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".jpg\"\r\n"
         "Content-Type: image/jpeg\r\n"
         "\r\n"
         "\xff\xd8\xff\r\n--not-the-boundary\r\n------WebKitFormBoundaryX3\xff\xd9\r\n"
         "------WebKitFormBoundaryX3b9--\r\n"
         "epilogue";
}

void expect_form(const Collect& c) {
  ASSERT_EQ(c.parts.size(), 2u);
  EXPECT_EQ(c.parts[0].headers.name, "title");
  EXPECT_FALSE(c.parts[0].headers.filename);
  EXPECT_EQ(c.parts[0].data, "hello");
  EXPECT_EQ(c.parts[1].headers.name, "file");
  EXPECT_EQ(c.parts[1].headers.filename, "a \"b\".jpg");
  EXPECT_EQ(c.parts[1].headers.content_type, "image/jpeg");
  EXPECT_EQ(c.parts[1].data,
            "\xff\xd8\xff\r\n--not-the-boundary\r\n------WebKitFormBoundaryX3\xff\xd9");
  EXPECT_TRUE(c.parts[0].ended && c.parts[1].ended);
}

}  // namespace

TEST(Multipart, BoundaryOfContentType) {
  EXPECT_EQ(boundary_of("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(boundary_of("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(boundary_of("multipart/form-data; charset=utf-8; boundary=x-1"), "x-1");
  EXPECT_FALSE(boundary_of("multipart/form-data"));
  EXPECT_FALSE(boundary_of("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(boundary_of("application/json"));
  EXPECT_FALSE(boundary_of("multipart/form-data; boundary="));
  EXPECT_FALSE(boundary_of("multipart/form-data; boundary=\"ends in space \""));
  EXPECT_FALSE(boundary_of("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(boundary_of("multipart/form-data; boundary=a\"b"));
  EXPECT_FALSE(boundary_of("multipart/form-data; boundary=\"unclosed"));
}

TEST(Multipart, WholeBodyAtOnce) {
  Collect c;
  Parser p(kBoundary, c);
  ASSERT_TRUE(p.feed(form()));
  ASSERT_TRUE(p.finish());
  expect_form(c);
}

// Every split into two reads, and byte by byte: boundaries and header ends cut anywhere.
TEST(Multipart, BoundariesSplitAcrossReads) {
  const auto body = form();
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    Collect c;
    Parser p(kBoundary, c);
    ASSERT_TRUE(p.feed(std::string_view(body).substr(0, cut))) << cut;
    ASSERT_TRUE(p.feed(std::string_view(body).substr(cut))) << cut;
    ASSERT_TRUE(p.finish()) << cut;
    expect_form(c);
  }
  Collect c;
  Parser p(kBoundary, c);
  for (char ch : body) ASSERT_TRUE(p.feed(std::string_view(&ch, 1)));
  ASSERT_TRUE(p.finish());
  expect_form(c);
}

TEST(Multipart, MissingFinalBoundaryIsIncomplete) {
  auto body = form();
  body = body.substr(0, body.find("------WebKitFormBoundaryX3b9--"));
  Collect c;
  Parser p(kBoundary, c);
  ASSERT_TRUE(p.feed(body));
  EXPECT_FALSE(p.finish());
  EXPECT_EQ(p.error(), Error::incomplete);
  // The file part never ended: its data must not be taken as complete.
  ASSERT_EQ(c.parts.size(), 2u);
  EXPECT_FALSE(c.parts[1].ended);
}

TEST(Multipart, NoBoundaryAtAll) {
  Collect c;
  Parser p(kBoundary, c);
  ASSERT_TRUE(p.feed(std::string(100000, 'x')));
  EXPECT_FALSE(p.finish());
  EXPECT_EQ(p.error(), Error::incomplete);
  EXPECT_TRUE(c.parts.empty());
}

TEST(Multipart, HugeHeadersAreRefusedWithoutBuffering) {
  Collect c;
  Parser p(kBoundary, c, {.header_bytes = 1024, .parts = 4});
  std::string body = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: ";
  ASSERT_TRUE(p.feed(body));
  bool ok = true;
  for (int i = 0; i < 100 && ok; ++i) ok = p.feed(std::string(100, 'a'));
  EXPECT_FALSE(ok);
  EXPECT_EQ(p.error(), Error::header_too_large);
  // Once failed, it stays failed.
  EXPECT_FALSE(p.feed("\r\n\r\n"));
}

TEST(Multipart, TooManyParts) {
  std::string body;
  for (int i = 0; i < 5; ++i)
    body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n";
  body += "--" + kBoundary + "--";
  Collect c;
  Parser p(kBoundary, c, {.header_bytes = 1024, .parts = 4});
  EXPECT_FALSE(p.feed(body));
  EXPECT_EQ(p.error(), Error::too_many_parts);
}

TEST(Multipart, MalformedHeaders) {
  const std::string open = "--" + kBoundary + "\r\n";
  const std::string close = "\r\n--" + kBoundary + "--";
  for (std::string headers : {
           "Content-Type: text/plain\r\n\r\n",                        // no disposition
           "Content-Disposition: form-data\r\n\r\n",                  // no name
           "Content-Disposition: attachment; name=\"a\"\r\n\r\n",     // not form-data
           "Content-Disposition form-data; name=\"a\"\r\n\r\n",       // no colon
           " Content-Disposition: form-data; name=\"a\"\r\n\r\n",     // folded
           "Content-Disposition: form-data; name=\"a\r\n\r\n",        // unclosed quote
           "\r\n",                                                     // no header at all
       }) {
    Collect c;
    Parser p(kBoundary, c);
    bool fed = p.feed(open + headers + "data" + close);
    EXPECT_FALSE(fed && p.finish()) << headers;
    EXPECT_EQ(p.error(), Error::malformed) << headers;
  }
  // Something else than CRLF or "--" after a boundary.
  Collect c;
  Parser p(kBoundary, c);
  EXPECT_FALSE(p.feed("--" + kBoundary + "xyz\r\n"));
  EXPECT_EQ(p.error(), Error::malformed);
}

TEST(Multipart, EmptyFormIsMalformed) {
  Collect c;
  Parser p(kBoundary, c);
  EXPECT_FALSE(p.feed("--" + kBoundary + "--\r\n"));
  EXPECT_EQ(p.error(), Error::malformed);
}

TEST(Multipart, TransportPaddingAndEmptyPart) {
  Collect c;
  Parser p(kBoundary, c);
  ASSERT_TRUE(p.feed("--" + kBoundary + "  \r\nContent-Disposition: form-data; name=file; " +
                     "filename=x.bin\r\n\r\n\r\n--" + kBoundary + "--"));
  ASSERT_TRUE(p.finish());
  ASSERT_EQ(c.parts.size(), 1u);
  EXPECT_EQ(c.parts[0].headers.filename, "x.bin");
  EXPECT_EQ(c.parts[0].data, "");
}

TEST(Multipart, HandlerCanStopTheParse) {
  struct Refuse : Collect {
    bool on_data(std::string_view) override { return false; }
  } c;
  Parser p(kBoundary, c);
  EXPECT_FALSE(p.feed(form()));
  EXPECT_EQ(p.error(), Error::rejected);
}

// A large part streamed in 64 KiB reads keeps the parser's buffer small.
TEST(Multipart, LargePartStreams) {
  struct Count : Parser::Handler {
    std::size_t bytes = 0;
    bool on_part(const PartHeaders&) override { return true; }
    bool on_data(std::string_view b) override {
      bytes += b.size();
      return true;
    }
    bool on_part_end() override { return true; }
  } c;
  Parser p(kBoundary, c);
  ASSERT_TRUE(p.feed("--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n"));
  std::string chunk(65536, '-');  // dashes: every byte could start the delimiter's "--"
  for (int i = 0; i < 64; ++i) ASSERT_TRUE(p.feed(chunk));
  ASSERT_TRUE(p.feed("\r\n--" + kBoundary + "--\r\n"));
  ASSERT_TRUE(p.finish());
  EXPECT_EQ(c.bytes, 64u * 65536u);
}
