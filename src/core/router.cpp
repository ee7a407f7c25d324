#include "core/router.hpp"

#include <array>
#include <stdexcept>

namespace o4o::core {

namespace {
// Calls f with each non-empty segment between slashes ("/a//b/" -> "a", "b") until f returns false.
template <class F>
void for_each_segment(std::string_view path, F&& f) {
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (!f(path.substr(i, j - i))) return;
    i = j;
  }
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  for_each_segment(path, [&](std::string_view s) {
    out.push_back(s);
    return true;
  });
  return out;
}

// More segments than any route has: a request path is split on the stack, without allocating.
constexpr std::size_t kMaxSegments = 16;
}  // namespace

void Router::add(Route route) {
  if (route.exec == Exec::io && route.access != Access::anyone)
    throw std::logic_error("route " + route.pattern + " checks credentials on an IO thread");
  // A cached read is answered before any access rule runs: only a public read may have one.
  if (route.cached && (route.method != Method::get || route.access != Access::anyone))
    throw std::logic_error("route " + route.pattern + " declares a cached read but is not public");
  if (route.hashes && route.exec != Exec::cpu)
    throw std::logic_error("route " + route.pattern + " hashes passwords off the CPU pool");
  Compiled c;
  for (auto s : split_path(route.pattern)) c.segments.emplace_back(s);
  if (c.segments.size() > kMaxSegments)
    throw std::logic_error("route " + route.pattern + " has more than 16 segments");
  // Parameter names do not make two patterns different: "/posts/:id" and "/posts/:x" collide.
  auto same_shape = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
      const bool pa = a[k][0] == ':', pb = b[k][0] == ':';
      if (pa != pb || (!pa && a[k] != b[k])) return false;
    }
    return true;
  };
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method == route.method && same_shape(compiled_[i].segments, c.segments))
      throw std::logic_error("duplicate route " + std::string(method_name(route.method)) + " " +
                             route.pattern);
  }
  by_count_[c.segments.size()].push_back(routes_.size());
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

const Route* Router::find(Method method, std::string_view pattern) const {
  for (const auto& r : routes_)
    if (r.method == method && r.pattern == pattern) return &r;
  return nullptr;
}

void Router::set_error_format(std::string path, ErrorFormat format) {
  error_formats_.emplace_back(std::move(path), std::move(format));
}

const Router::ErrorFormat* Router::error_format(std::string_view path) const {
  if (error_formats_.empty()) return nullptr;
  // The path as match() sees it: "/mcp/" and "//mcp" reach the same endpoint as "/mcp".
  const auto segs = split_path(path.substr(0, path.find('?')));
  for (const auto& [p, f] : error_formats_)
    if (split_path(p) == segs) return &f;
  return nullptr;
}

RouteMatch Router::match(Method method, std::string_view path,
                         std::vector<std::pair<std::string, std::string>>& params) const {
  RouteMatch m;
  std::array<std::string_view, kMaxSegments> segs;
  std::size_t count = 0;
  bool too_many = false;
  for_each_segment(path, [&](std::string_view s) {
    if (count == kMaxSegments) return !(too_many = true);
    segs[count++] = s;
    return true;
  });
  if (too_many) return m;  // no route has that many segments: 404
  // Empty segments are dropped wherever they are: a trailing slash ("/posts/") and doubled
  // slashes ("/api//v1/posts") name the same route as the clean path, and a ":name" parameter
  // never matches an empty segment.
  // Only routes with as many segments can match, in the order they were added; compared from
  // the last segment, where routes of one service differ most.
  for (const std::size_t i : by_count_[count]) {
    const auto& pat = compiled_[i].segments;
    bool same = true;
    for (std::size_t k = pat.size(); k-- > 0 && same;)
      same = (!pat[k].empty() && pat[k][0] == ':') ? !segs[k].empty() : pat[k] == segs[k];
    if (!same) continue;
    const bool method_ok =
        routes_[i].method == method || (method == Method::head && routes_[i].method == Method::get);
    if (method_ok) {
      // The first route that matches wins; the Allow list is only for a path without one.
      m.route = &routes_[i];
      m.path_known = true;
      m.allow.clear();
      params.clear();
      for (std::size_t k = 0; k < pat.size(); ++k)
        if (pat[k][0] == ':') params.emplace_back(pat[k].substr(1), std::string(segs[k]));
      return m;
    }
    if (!m.path_known || m.allow.find(method_name(routes_[i].method)) == std::string::npos) {
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += method_name(routes_[i].method);
    }
    m.path_known = true;
  }
  return m;
}

}  // namespace o4o::core
