#pragma once
// The web app's files: correct types, long caching for hashed assets, the SPA fallback to
// index.html, precompressed copies (.br, .gz) for clients that accept them, and never a file
// outside the root (dot segments, encoded dots, symlinks out).
#include <string>
#include <string_view>

#include "core/http.hpp"

namespace o4o::core {

class StaticFiles {
 public:
  // A missing root only means no files. `extra_script_origins` are allowed to serve scripts to
  // the app's pages besides the app itself (Toss's payment widget when Toss is configured).
  explicit StaticFiles(const std::string& root, std::string extra_script_origins = "");
  bool enabled() const { return !root_.empty(); }
  // For GET/HEAD of a path outside /api: the file, index.html for app routes, or a 404 envelope.
  Response serve(const Request& req) const;

 private:
  std::string root_;  // canonical, no trailing slash; empty when disabled
  std::string csp_;   // Content-Security-Policy of the app's pages
};

std::string_view content_type_for(std::string_view path);

// The q value an Accept-Encoding header gives a content coding ("*" stands for every coding it
// does not name); 0 when the header does not accept it.
double accepted_quality(std::string_view accept_encoding, std::string_view coding);

}  // namespace o4o::core
