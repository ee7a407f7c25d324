#include "core/base64.hpp"

#include <sodium.h>

namespace o4o::core {
namespace {

int sodium_variant(Base64 variant) {
  switch (variant) {
    case Base64::standard:
      return sodium_base64_VARIANT_ORIGINAL;
    case Base64::standard_unpadded:
      return sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    case Base64::url:
      return sodium_base64_VARIANT_URLSAFE;
    case Base64::url_unpadded:
      return sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  }
  return sodium_base64_VARIANT_ORIGINAL;
}

}  // namespace

std::string base64_encode(std::string_view bytes, Base64 variant) {
  const int v = sodium_variant(variant);
  // sodium_base64_encoded_len counts the terminating NUL that sodium_bin2base64 writes.
  std::string out(sodium_base64_encoded_len(bytes.size(), v), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), v);
  out.pop_back();
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, Base64 variant) {
  // Never more bytes than characters. No characters to ignore, and no end pointer: the whole text
  // must be Base64, or the call fails.
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_variant(variant)) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace o4o::core
