// Fuzzes core::is_valid_utf8 against a reference decoder written from RFC 3629's table of
// well-formed byte sequences.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/text.hpp"

namespace {
bool in(uint8_t b, uint8_t lo, uint8_t hi) {
  return b >= lo && b <= hi;
}

// RFC 3629 section 4: UTF8-1 / UTF8-2 / UTF8-3 / UTF8-4, byte ranges as written there.
bool reference(const uint8_t* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const uint8_t a = s[i];
    const auto tail = [&](size_t k) { return i + k < n && in(s[i + k], 0x80, 0xBF); };
    if (a <= 0x7F) {
      i += 1;
    } else if (in(a, 0xC2, 0xDF) && tail(1)) {
      i += 2;
    } else if (a == 0xE0 && i + 1 < n && in(s[i + 1], 0xA0, 0xBF) && tail(2)) {
      i += 3;
    } else if ((in(a, 0xE1, 0xEC) || in(a, 0xEE, 0xEF)) && tail(1) && tail(2)) {
      i += 3;
    } else if (a == 0xED && i + 1 < n && in(s[i + 1], 0x80, 0x9F) && tail(2)) {
      i += 3;
    } else if (a == 0xF0 && i + 1 < n && in(s[i + 1], 0x90, 0xBF) && tail(2) && tail(3)) {
      i += 4;
    } else if (in(a, 0xF1, 0xF3) && tail(1) && tail(2) && tail(3)) {
      i += 4;
    } else if (a == 0xF4 && i + 1 < n && in(s[i + 1], 0x80, 0x8F) && tail(2) && tail(3)) {
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (o4o::core::is_valid_utf8(text) != reference(data, size)) std::abort();
  return 0;
}
