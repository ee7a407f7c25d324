#pragma once
// The rules the server reads a request off the socket by, free of I/O: the header's size limit,
// the verb, the Transfer-Encoding rule, the head copied into a Request and the target split into
// path and query. core/server.cpp reads with these; fuzz_http_request feeds Beast's parser the
// same way from bytes, without a socket.
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "core/envelope.hpp"
#include "core/http.hpp"

namespace o4o::core::http_read {

// Request line and headers together (431 beyond it).
inline constexpr std::size_t kHeaderLimit = 16 * 1024;

inline Method to_method(boost::beast::http::verb v) {
  using boost::beast::http::verb;
  switch (v) {
    case verb::get:
      return Method::get;
    case verb::head:
      return Method::head;
    case verb::post:
      return Method::post;
    case verb::put:
      return Method::put;
    case verb::patch:
      return Method::patch;
    case verb::delete_:
      return Method::del;
    case verb::options:
      return Method::options;
    default:
      return Method::other;
  }
}

// A Transfer-Encoding whose last coding is not chunked leaves the body's end unknowable: the
// request is refused (400 and close, RFC 9112 section 6.3), never guessed at.
template <class Parser>
bool body_end_unknowable(const Parser& parser) {
  return parser.get().count(boost::beast::http::field::transfer_encoding) > 0 &&
         !parser.chunked();
}

// The method, target and headers of a request's head.
inline void copy_head(const boost::beast::http::request_header<>& head, Request& req) {
  req.method = to_method(head.method());
  req.target = std::string(head.target());
  // Exactly as many as came: a fixed 16 (1 KiB) asked malloc for a large chunk every request,
  // which consolidates its free lists each time.
  req.headers.reserve(static_cast<std::size_t>(std::distance(head.begin(), head.end())));
  for (const auto& f : head)
    req.headers.push_back({std::string(f.name_string()), std::string(f.value())});
}

// split_target through Boost.URL: the origin form checked, the path and the query decoded.
inline std::optional<Response> split_target_parsed(Request& req) {
  auto url = boost::urls::parse_origin_form(req.target);
  if (!url) return error_response(400, "BAD_REQUEST", "Malformed request target");
  req.path = url->path();
  for (auto p : url->params()) req.query.emplace_back(p.key, p.has_value ? p.value : "");
  return std::nullopt;
}

// True for the characters an origin-form target may hold that decode to themselves: unreserved,
// sub-delimiters but '+' (a space in a query), ':', '@' and '/'. Not '%' (an escape), not '?'.
constexpr bool plain_target_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~!$&'()*,;=:@/").find(c) != std::string_view::npos;
}

// split_target without parsing a URL, for a target of plain characters only ('?' once, before
// the query): what split_target_parsed gives for it, in a fraction of the time (a unit test
// compares the two). False, with `req` untouched, for any other target.
inline bool split_plain_target(Request& req) {
  const std::string_view t = req.target;
  if (t.empty() || t.front() != '/') return false;
  const auto mark = t.find('?');
  const std::string_view path = t.substr(0, mark);
  for (char c : path)
    if (!plain_target_char(c)) return false;
  std::string_view query = mark == std::string_view::npos ? std::string_view() : t.substr(mark + 1);
  if (mark != std::string_view::npos)
    for (char c : query)
      if (!plain_target_char(c) && c != '?') return false;
  req.path = path;
  if (mark == std::string_view::npos) return true;
  // Like Boost.URL: "&"-separated, empty pieces included ("?" alone is one empty parameter), the
  // key up to the first "=".
  for (;;) {
    const auto amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    const auto eq = param.find('=');
    if (eq == std::string_view::npos)
      req.query.emplace_back(std::string(param), std::string());
    else
      req.query.emplace_back(std::string(param.substr(0, eq)), std::string(param.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return true;
}

// The target in origin form ("/path?query") split into the decoded path and query; a 400 for
// any other form.
inline std::optional<Response> split_target(Request& req) {
  if (split_plain_target(req)) return std::nullopt;
  return split_target_parsed(req);
}

}  // namespace o4o::core::http_read
