#include "core/http_write.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include <charconv>
#include <cstdint>
#include <string_view>

#include <strings.h>

namespace o4o::core::http_write {

namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The fields the session sets itself: a response header of one of these names replaces or
// changes them in Beast's rendering, which this one does not imitate.
bool session_field(std::string_view name) {
  return iequals(name, "Server") || iequals(name, "Content-Type") || iequals(name, "Connection") ||
         iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding");
}

bool edge_space(std::string_view v) {
  return !v.empty() &&
         (v.front() == ' ' || v.front() == '\t' || v.back() == ' ' || v.back() == '\t');
}

// Beast keeps a field's name and value lengths in 16 bits, with 2 to spare.
constexpr std::size_t kFieldMost = 65533;

void field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}
}  // namespace

bool render_head(std::string& out, const Response& r, bool keep_alive) {
  if (r.status < 100 || r.status > 999) return false;
  const bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (bodiless && !r.body.empty()) return false;  // Beast refuses it: keep its answer to that
  for (std::size_t i = 0; i < r.headers.size(); ++i) {
    const auto& h = r.headers[i];
    if (session_field(h.name) || edge_space(h.value) || h.name.size() > kFieldMost ||
        h.value.size() > kFieldMost)
      return false;
    for (std::size_t j = 0; j < i; ++j)
      if (iequals(r.headers[j].name, h.name)) return false;  // Beast would keep the last only
  }
  if (edge_space(r.content_type) || r.content_type.size() > kFieldMost) return false;

  namespace http = boost::beast::http;
  const auto reason = http::obsolete_reason(static_cast<http::status>(r.status));
  const char status[3] = {static_cast<char>('0' + r.status / 100),
                          static_cast<char>('0' + r.status / 10 % 10),
                          static_cast<char>('0' + r.status % 10)};
  out += "HTTP/1.1 ";
  out.append(status, sizeof status);
  out += ' ';
  out += reason;
  out += "\r\n";
  field(out, "Server", "o4o");
  // 204 and 304 carry no Content-Type.
  if (r.status != 304 && r.status != 204 && !r.content_type.empty())
    field(out, "Content-Type", r.content_type);
  for (const auto& h : r.headers) field(out, h.name, h.value);
  if (!keep_alive) field(out, "Connection", "close");
  char length[24];
  const auto end = std::to_chars(length, length + sizeof length, r.body.size()).ptr;
  field(out, "Content-Length", std::string_view(length, static_cast<std::size_t>(end - length)));
  out += "\r\n";
  return true;
}

boost::beast::http::response<boost::beast::http::string_body> beast_message(Response& r,
                                                                            bool keep_alive,
                                                                            bool head) {
  namespace http = boost::beast::http;
  http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
  res.set(http::field::server, "o4o");
  if (r.status != 304 && r.status != 204 && !r.content_type.empty())
    res.set(http::field::content_type, r.content_type);
  for (auto& h : r.headers) res.set(h.name, h.value);
  res.keep_alive(keep_alive);
  if (head) {
    res.content_length(r.body.size());
  } else {
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  return res;
}

}  // namespace o4o::core::http_write
