// libFuzzer target for W3C Trace Context parsing (src/core/trace.cpp): a traceparent that parses
// names lowercase-hex, non-zero ids taken from their places in the header, and formatting them
// again gives the header's first 55 characters with flags 00 or 01; tracestate is kept only when
// short and printable.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "core/trace.hpp"

using namespace o4o::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto p = trace::parse_traceparent(input)) {
    const std::string_view h = trim(input);
    const std::string again = trace::format_traceparent(p->trace_id, p->span_id, p->sampled);
    if (again.size() != 55 || again.substr(3, 49) != h.substr(3, 49)) std::abort();
    const int flags = std::stoi(std::string(h.substr(53, 2)), nullptr, 16);
    if (p->sampled != ((flags & 1) != 0)) std::abort();
    if (h.substr(0, 2) == "ff") std::abort();
  }
  const std::string state = trace::sanitize_tracestate(input);
  if (state.size() > 512) std::abort();
  for (char c : state)
    if (c < 0x20 || c > 0x7e) std::abort();
  return 0;
}
