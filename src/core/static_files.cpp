#include "core/static_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/app_pages.hpp"
#include "core/envelope.hpp"
#include "core/logging.hpp"

namespace o4o::core {

namespace {
std::string real_path(const std::string& p) {
  char buf[PATH_MAX];
  if (!::realpath(p.c_str(), buf)) return {};
  return buf;
}

struct Variant {
  std::string path;
  std::string coding;  // empty: the file itself
  struct stat st {};
};

// A precompressed copy of the file (web/scripts/compress.mjs writes them beside the build), in
// the order the client prefers: taken only when accepted, inside the root, and not older than
// the file (a stale copy of an unhashed file must not hide a newer one).
Variant pick_variant(const Request& req, const std::string& root, const std::string& file,
                     const struct stat& file_st) {
  Variant out{file, "", file_st};
  auto header = req.header("accept-encoding");
  if (!header) return out;
  struct Candidate {
    const char* coding;
    const char* suffix;
    double q;
  };
  Candidate candidates[] = {{"br", ".br", accepted_quality(*header, "br")},
                            {"gzip", ".gz", accepted_quality(*header, "gzip")}};
  std::stable_sort(std::begin(candidates), std::end(candidates),
                   [](const Candidate& a, const Candidate& b) { return a.q > b.q; });
  for (const auto& c : candidates) {
    if (c.q <= 0) continue;
    std::string copy = real_path(file + c.suffix);
    struct stat st {};
    if (copy.empty() || copy.rfind(root + "/", 0) != 0 || ::stat(copy.c_str(), &st) != 0 ||
        !S_ISREG(st.st_mode) || st.st_mtime < file_st.st_mtime)
      continue;
    return Variant{copy, c.coding, st};
  }
  return out;
}
}  // namespace

double accepted_quality(std::string_view accept_encoding, std::string_view coding) {
  namespace beast = boost::beast;
  double named = -1, any = -1;
  for (const auto& [token, params] : beast::http::ext_list(accept_encoding)) {
    double q = 1;
    for (const auto& [name, value] : params) {
      if (!beast::iequals(name, "q")) continue;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
      if (ec != std::errc{} || end != value.data() + value.size() || q < 0 || q > 1) q = 0;
    }
    if (beast::iequals(token, coding))
      named = q;
    else if (token == "*")
      any = q;
  }
  return named >= 0 ? named : std::max(any, 0.0);
}

std::string_view content_type_for(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".mp4", "video/mp4"},
      {".webm", "video/webm"},
      {".wasm", "application/wasm"},
  };
  for (const auto& [ext, type] : types)
    if (path.ends_with(ext)) return type;
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root, std::string extra_script_origins) {
  csp_ = app_csp(extra_script_origins);
  struct stat st {};
  std::string canonical = real_path(root);
  if (canonical.empty() || ::stat(canonical.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    log::warn("web root not found; serving no static files", {{"webRoot", root}});
    return;
  }
  root_ = canonical;
}

Response StaticFiles::serve(const Request& req) const {
  if (!enabled()) return page_not_found();
  const std::string& path = req.path;
  // Decoded path: refuse NULs, backslashes and any "." or ".." segment outright, before the
  // file system is asked anything.
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos ||
      path.find('\\') != std::string::npos)
    return page_not_found();
  std::size_t i = 0;
  while (i < path.size()) {
    auto j = path.find('/', i + 1);
    if (j == std::string::npos) j = path.size();
    std::string_view seg(path.data() + i + 1, j - i - 1);
    if (seg == "." || seg == "..") return page_not_found();
    i = j;
  }

  std::string candidate = root_ + path;
  std::string resolved = real_path(candidate);
  struct stat st {};
  bool is_app_route = false;
  if (!resolved.empty() && ::stat(resolved.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    resolved = real_path(resolved + "/index.html");
  }
  if (resolved.empty() || ::stat(resolved.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    // A path whose last segment looks like a file name is a missing file; anything else is a
    // route of the single-page app.
    auto last = path.substr(path.find_last_of('/') + 1);
    if (last.find('.') != std::string::npos) return page_not_found();
    resolved = real_path(root_ + "/index.html");
    is_app_route = true;
    if (resolved.empty() || ::stat(resolved.c_str(), &st) != 0) return page_not_found();
  }
  // Symlinks are resolved above; whatever they point to must still be inside the root.
  if (resolved.rfind(root_ + "/", 0) != 0) return page_not_found();

  const Variant body = pick_variant(req, root_, resolved, st);
  // Each representation has its own tag, so a cache never answers one coding with another.
  const std::string etag = "\"" + std::to_string(body.st.st_size) + "-" +
                           std::to_string(body.st.st_mtime) +
                           (body.coding.empty() ? "" : "-" + body.coding) + "\"";
  Response r;
  r.content_type = std::string(content_type_for(resolved));
  r.set_header("ETag", etag);
  r.set_header("Vary", "Accept-Encoding");
  if (!body.coding.empty()) r.set_header("Content-Encoding", body.coding);
  const bool hashed_asset = !is_app_route && path.rfind("/assets/", 0) == 0;
  if (resolved.ends_with(".html")) {
    set_app_page_headers(r, csp_);
  } else {
    r.set_header("Cache-Control",
                 hashed_asset ? "public, max-age=31536000, immutable" : "public, max-age=3600");
    r.set_header("X-Content-Type-Options", "nosniff");
  }
  if (auto inm = req.header("if-none-match"); inm && *inm == etag) {
    r.status = 304;
    return r;
  }
  std::ifstream in(body.path, std::ios::binary);
  if (!in) return page_not_found();
  std::ostringstream buf;
  buf << in.rdbuf();
  r.body = buf.str();
  return r;
}

}  // namespace o4o::core
