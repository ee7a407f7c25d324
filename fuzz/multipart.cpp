// libFuzzer target for the multipart/form-data parser (src/core/multipart.cpp). Besides crashes
// and sanitizer reports it checks one property: the parts and errors do not depend on how the body
// was split into reads (the first input byte picks the split).
//   scripts/test.sh runs it for a bounded time; fuzz/README.md says how to run it longer.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/multipart.hpp"

using namespace o4o::core::multipart;

namespace {
struct Record : Parser::Handler {
  std::string log;
  bool on_part(const PartHeaders& h) override {
    log += "P[" + h.name + "|" + h.filename.value_or("-") + "|" + h.content_type + "]";
    return true;
  }
  bool on_data(std::string_view b) override {
    log.append(b);
    return true;
  }
  bool on_part_end() override {
    log += "E";
    return true;
  }
};

std::string run(std::string_view body, std::size_t step) {
  Record r;
  Parser p("XbX", r, {.header_bytes = 256, .parts = 8});
  bool ok = true;
  for (std::size_t i = 0; i < body.size() && ok; i += step) ok = p.feed(body.substr(i, step));
  if (ok) ok = p.finish();
  return r.log + "#" + std::to_string(static_cast<int>(p.error()));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::size_t step = 1 + data[0] % 17;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)boundary_of(body.substr(0, 200));
  auto whole = run(body, body.size() + 1);
  auto pieces = run(body, step);
  if (whole != pieces) std::abort();
  return 0;
}
