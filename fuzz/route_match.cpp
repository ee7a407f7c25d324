// libFuzzer target for route matching (src/core/router.cpp) over a table shaped like the real
// ones. The first byte picks the method, the rest is the path. A match's parameters are non-empty
// segments, and putting them back into the route's pattern gives the path's non-empty segments
// (empty segments, as in "//" or a trailing "/", name the same route); a path some route has is
// either matched or answered with an Allow list.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/router.hpp"

using namespace o4o::core;

namespace {

std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= path.size()) {
    const auto slash = path.find('/', i);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > i) out.emplace_back(path.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

const Router& router() {
  static const Router r = [] {
    Router made;
    auto ok = [](Request&) { return Response{}; };
    for (auto [m, p] : std::initializer_list<std::pair<Method, const char*>>{
             {Method::get, "/healthz"},
             {Method::get, "/api/v1/forum/posts"},
             {Method::post, "/api/v1/forum/posts"},
             {Method::get, "/api/v1/forum/posts/:id"},
             {Method::put, "/api/v1/forum/posts/:id"},
             {Method::del, "/api/v1/forum/posts/:id"},
             {Method::get, "/api/v1/forum/posts/:id/comments"},
             {Method::put, "/api/v1/forum/posts/:id/comments/:commentId"},
             {Method::get, "/api/v1/signage/displays/:id/stream"},
             {Method::post, "/api/v1/ecommerce/orders/quote"},
             {Method::get, "/api/v1/ecommerce/orders/:id"}}) {
      made.add({m, p, ok});
    }
    return made;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr Method kMethods[] = {Method::get, Method::post, Method::put, Method::del,
                                        Method::head};
  const Method method = kMethods[data[0] % std::size(kMethods)];
  const std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<std::pair<std::string, std::string>> params;
  const auto m = router().match(method, path, params);
  if (m.route) {
    if (!m.path_known) std::abort();
    const auto pattern = segments(m.route->pattern);
    const auto got = segments(path);
    if (pattern.size() != got.size()) std::abort();
    std::size_t next = 0;
    for (std::size_t k = 0; k < pattern.size(); ++k) {
      if (pattern[k][0] != ':') {
        if (pattern[k] != got[k]) std::abort();
        continue;
      }
      if (next >= params.size() || params[next].first != pattern[k].substr(1) ||
          params[next].second != got[k] || params[next].second.empty() ||
          params[next].second.find('/') != std::string::npos)
        std::abort();
      ++next;
    }
    if (next != params.size()) std::abort();
  } else if (m.path_known && m.allow.empty()) {
    std::abort();
  }
  return 0;
}
