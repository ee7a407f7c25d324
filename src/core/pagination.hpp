#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http.hpp"

namespace o4o::core {

struct Page {
  int64_t page = 1;
  int64_t limit = 20;
  int64_t offset() const { return (page - 1) * limit; }
};

// One page of a list, and the count of every match: what a service returns for every list.
template <class T>
struct PageOf {
  std::vector<T> items;
  int64_t total = 0;
};

// ?page=1&limit=20: page >= 1, limit 1..100; anything else is 400 VALIDATION_ERROR.
Page parse_page(const Request& req);

// {"items": items, "page": p, "limit": l, "total": total}
boost::json::object page_json(boost::json::array items, const Page& page, int64_t total);
// The same for a PageOf<T>, each item rendered by render(const T&) -> boost::json::value.
template <class T, class Render>
boost::json::object page_json(const PageOf<T>& list, const Page& page, Render&& render) {
  boost::json::array items;
  items.reserve(list.items.size());
  for (const auto& item : list.items) items.push_back(render(item));
  return page_json(std::move(items), page, list.total);
}

// A query parameter that must be one of the allowed values (400 otherwise); nullopt when absent.
std::optional<std::string> query_enum(const Request& req, std::string_view name,
                                      const std::vector<std::string_view>& allowed);
// A query parameter as trimmed text of at most max_len characters (400 when longer).
std::optional<std::string> query_text(const Request& req, std::string_view name,
                                      std::size_t max_len = 200);

}  // namespace o4o::core
