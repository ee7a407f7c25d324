// Fuzzes the access log's redaction of request targets: for any target, a query parameter whose
// name the server would read as "token" (any case, any percent-encoding) keeps no value but
// REDACTED, and everything else is kept as sent.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/logging.hpp"

namespace {
int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
std::string decoded_lower(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      c = static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (c == '+') {
      c = ' ';
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const std::string out = o4o::core::log::redact_target(target);
  const auto q = target.find('?');
  if (q == std::string_view::npos) {
    if (out != target) std::abort();
    return 0;
  }
  if (out.compare(0, q + 1, target.substr(0, q + 1)) != 0) std::abort();
  // Walk both queries parameter by parameter.
  std::string_view in = target.substr(q + 1);
  std::string_view red = std::string_view(out).substr(q + 1);
  while (true) {
    const auto ai = in.find('&');
    const auto ar = red.find('&');
    const auto pi = in.substr(0, ai);
    const auto pr = red.substr(0, ar);
    const auto eq = pi.find('=');
    if (eq != std::string_view::npos && decoded_lower(pi.substr(0, eq)) == "token") {
      if (pr.substr(0, eq + 1) != pi.substr(0, eq + 1) || pr.substr(eq + 1) != "REDACTED") std::abort();
    } else if (pr != pi) {
      std::abort();
    }
    if ((ai == std::string_view::npos) != (ar == std::string_view::npos)) std::abort();
    if (ai == std::string_view::npos) break;
    in.remove_prefix(ai + 1);
    red.remove_prefix(ar + 1);
  }
  return 0;
}
