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

// The target in origin form ("/path?query") split into the decoded path and query; a 400 for
// any other form.
inline std::optional<Response> split_target(Request& req) {
  auto url = boost::urls::parse_origin_form(req.target);
  if (!url) return error_response(400, "BAD_REQUEST", "Malformed request target");
  req.path = url->path();
  for (auto p : url->params()) req.query.emplace_back(p.key, p.has_value ? p.value : "");
  return std::nullopt;
}

}  // namespace o4o::core::http_read
