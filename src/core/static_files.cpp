#include "core/static_files.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/envelope.hpp"
#include "core/logging.hpp"

namespace o4o::core {

namespace {
std::string real_path(const std::string& p) {
  char buf[PATH_MAX];
  if (!::realpath(p.c_str(), buf)) return {};
  return buf;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Response not_found() { return error_response(404, "NOT_FOUND", "Not found"); }
}  // namespace

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
    if (ends_with(path, ext)) return type;
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root) {
  struct stat st{};
  std::string canonical = real_path(root);
  if (canonical.empty() || ::stat(canonical.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    log::warn("web root not found; serving no static files", {{"webRoot", root}});
    return;
  }
  root_ = canonical;
}

Response StaticFiles::serve(const Request& req) const {
  if (!enabled()) return not_found();
  const std::string& path = req.path;
  // Decoded path: refuse NULs, backslashes and any "." or ".." segment outright, before the
  // file system is asked anything.
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos ||
      path.find('\\') != std::string::npos)
    return not_found();
  std::size_t i = 0;
  while (i < path.size()) {
    auto j = path.find('/', i + 1);
    if (j == std::string::npos) j = path.size();
    std::string_view seg(path.data() + i + 1, j - i - 1);
    if (seg == "." || seg == "..") return not_found();
    i = j;
  }

  std::string candidate = root_ + path;
  std::string resolved = real_path(candidate);
  struct stat st{};
  bool is_app_route = false;
  if (!resolved.empty() && ::stat(resolved.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    resolved = real_path(resolved + "/index.html");
  }
  if (resolved.empty() || ::stat(resolved.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    // A path whose last segment looks like a file name is a missing file; anything else is a
    // route of the single-page app.
    auto last = path.substr(path.find_last_of('/') + 1);
    if (last.find('.') != std::string::npos) return not_found();
    resolved = real_path(root_ + "/index.html");
    is_app_route = true;
    if (resolved.empty() || ::stat(resolved.c_str(), &st) != 0) return not_found();
  }
  // Symlinks are resolved above; whatever they point to must still be inside the root.
  if (resolved.rfind(root_ + "/", 0) != 0) return not_found();

  const std::string etag =
      "\"" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtime) + "\"";
  Response r;
  r.content_type = std::string(content_type_for(resolved));
  r.set_header("ETag", etag);
  const bool hashed_asset = !is_app_route && path.rfind("/assets/", 0) == 0;
  r.set_header("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable"
                                : ends_with(resolved, ".html") ? "no-cache"
                                                               : "public, max-age=3600");
  r.set_header("X-Content-Type-Options", "nosniff");
  if (auto inm = req.header("if-none-match"); inm && *inm == etag) {
    r.status = 304;
    return r;
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return not_found();
  std::ostringstream buf;
  buf << in.rdbuf();
  r.body = buf.str();
  return r;
}

}  // namespace o4o::core
