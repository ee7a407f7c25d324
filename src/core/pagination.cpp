#include "core/pagination.hpp"

#include <boost/json.hpp>

#include "core/errors.hpp"
#include "core/json_body.hpp"
#include "core/text.hpp"
#include "core/whole_number.hpp"

namespace o4o::core {

namespace {
int64_t query_int(const Request& req, std::string_view name, int64_t fallback, int64_t min,
                  int64_t max) {
  auto v = req.query_param(name);
  if (!v) return fallback;
  if (auto n = whole_number(*v, min, max)) return *n;
  throw err::validation(std::string(name), std::string(name) + " must be an integer from " +
                                               std::to_string(min) + " to " + std::to_string(max));
}
}  // namespace

Page parse_page(const Request& req) {
  Page p;
  p.page = query_int(req, "page", 1, 1, 1'000'000'000);
  p.limit = query_int(req, "limit", 20, 1, 100);
  return p;
}

boost::json::object page_json(boost::json::array items, const Page& page, int64_t total) {
  return {
      {"items", std::move(items)}, {"page", page.page}, {"limit", page.limit}, {"total", total}};
}

std::optional<std::string> query_enum(const Request& req, std::string_view name,
                                      const std::vector<std::string_view>& allowed) {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  for (auto a : allowed)
    if (*v == a) return std::string(*v);
  std::string list;
  for (auto a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  throw err::validation(std::string(name), std::string(name) + " must be one of: " + list);
}

std::optional<std::string> query_text(const Request& req, std::string_view name,
                                      std::size_t max_len) {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  const std::string_view s = trim(*v);
  if (s.empty()) return std::nullopt;
  if (utf8_length(s) > max_len)
    throw err::validation(std::string(name), std::string(name) + " must be at most " +
                                                 std::to_string(max_len) + " characters");
  return std::string(s);
}

}  // namespace o4o::core
