// http_write::render_head: the session's own rendering of an answer's head must give the very
// bytes Beast's serializer gives for the same response, or decline.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <sstream>

#include "core/envelope.hpp"
#include "core/http_write.hpp"

using namespace o4o::core;
namespace http = boost::beast::http;

namespace {
// What the session writes through Beast when render_head declines (and wrote for every answer
// before it): the whole answer, or its head and Content-Length alone for a HEAD request.
std::string beast_bytes(Response r, bool keep_alive, bool head) {
  std::ostringstream out;
  out << http_write::beast_message(r, keep_alive, head);
  return out.str();
}

std::string ours(const Response& r, bool keep_alive, bool head) {
  std::string out;
  EXPECT_TRUE(http_write::render_head(out, r, keep_alive));
  if (!head) out += r.body;
  return out;
}

void expect_same(const Response& r) {
  for (bool keep : {true, false})
    for (bool head : {false, true})
      EXPECT_EQ(ours(r, keep, head), beast_bytes(r, keep, head))
          << "status " << r.status << (keep ? " keep-alive" : " close") << (head ? " HEAD" : "");
}
}  // namespace

TEST(HttpWrite, SameBytesAsBeastForTheAnswersHandlersGive) {
  Response ok_answer = ok_serialized(R"({"id":"a","name":"Bench"})");
  ok_answer.set_header("X-Request-Id", "0123456789abcdef01234567");
  expect_same(ok_answer);

  Response created_answer = ok_answer;
  created_answer.status = 201;
  created_answer.set_header("Location", "/api/v1/things/a");
  created_answer.set_header("O4O-Read-After", "0/16B3748");
  created_answer.set_header("Set-Cookie", "o4o_read_after=0/16B3748; Path=/; Max-Age=60");
  expect_same(created_answer);

  Response not_allowed = error_response(405, "METHOD_NOT_ALLOWED", "allowed: GET");
  not_allowed.set_header("Allow", "GET");
  expect_same(not_allowed);

  Response limited = error_response(429, "RATE_LIMITED", "slow down");
  limited.set_header("Retry-After", "3");
  expect_same(limited);

  for (int status : {400, 401, 403, 404, 409, 413, 500, 503, 299, 599}) {
    Response e = error_response(status, "X", "y");
    expect_same(e);
  }

  Response page;
  page.content_type = "text/html; charset=utf-8";
  page.body = "<!doctype html><p>hi</p>";
  page.set_header("X-Content-Type-Options", "nosniff");
  page.set_header("Cache-Control", "no-cache");
  expect_same(page);

  Response empty;
  empty.status = 204;
  expect_same(empty);
  Response not_modified;
  not_modified.status = 304;
  not_modified.set_header("ETag", "\"abc\"");
  expect_same(not_modified);
  Response untyped;
  untyped.content_type.clear();
  untyped.body = "plain";
  expect_same(untyped);
  Response empty_value;
  empty_value.set_header("X-Empty", "");
  expect_same(empty_value);
}

TEST(HttpWrite, DeclinesWhatItDoesNotRenderLikeBeast) {
  const auto declines = [](const Response& r) {
    std::string out = "kept";
    const bool rendered = http_write::render_head(out, r, true);
    EXPECT_EQ(out, "kept");  // nothing appended when declining
    return !rendered;
  };
  Response closing;
  closing.set_header("Connection", "close");  // refusals: Beast merges it with keep-alive
  EXPECT_TRUE(declines(closing));
  Response typed;
  typed.headers.push_back({"content-type", "text/plain"});
  EXPECT_TRUE(declines(typed));
  Response twice;
  twice.headers.push_back({"Set-Cookie", "a=1"});
  twice.headers.push_back({"set-cookie", "b=2"});  // Beast keeps the last one only
  EXPECT_TRUE(declines(twice));
  Response padded;
  padded.set_header("X-Padded", " value ");  // Beast trims it
  EXPECT_TRUE(declines(padded));
  Response no_content_with_body;
  no_content_with_body.status = 204;
  no_content_with_body.body = "x";  // Beast refuses to serialize it
  EXPECT_TRUE(declines(no_content_with_body));
  Response odd;
  odd.status = 1000;
  EXPECT_TRUE(declines(odd));
}
