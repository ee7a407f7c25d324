#pragma once
// The web app's files: correct types, long caching for hashed assets, the SPA fallback to
// index.html, and never a file outside the root (dot segments, encoded dots, symlinks out).
#include <string>

#include "core/http.hpp"

namespace o4o::core {

class StaticFiles {
 public:
  explicit StaticFiles(const std::string& root);  // a missing root only means no files
  bool enabled() const { return !root_.empty(); }
  // For GET/HEAD of a path outside /api: the file, index.html for app routes, or a 404 envelope.
  Response serve(const Request& req) const;

 private:
  std::string root_;  // canonical, no trailing slash; empty when disabled
};

std::string_view content_type_for(std::string_view path);

}  // namespace o4o::core
