#pragma once
// Base64 (RFC 4648) through libsodium, so that no encoder or decoder is written by hand. Decoding
// is strict in every variant: a character outside the variant's alphabet (white space included), a
// '=' where the variant has none or missing where it needs one, a lone last character, or leftover
// bits that are not zero (a second spelling of the same bytes) make the text invalid.
#include <optional>
#include <string>
#include <string_view>

namespace o4o::core {

enum class Base64 {
  standard,           // "+/" with '=' padding (RFC 4648 section 4): MIME, HTTP Basic, MCP headers
  standard_unpadded,  // "+/" without padding
  url,                // "-_" with '=' padding (section 5)
  url_unpadded,       // "-_" without padding: JWTs (RFC 7515 section 2)
};

std::string base64_encode(std::string_view bytes, Base64 variant);
// The bytes, or nullopt when `text` is not valid in `variant`. Empty text is zero bytes.
std::optional<std::string> base64_decode(std::string_view text, Base64 variant);

}  // namespace o4o::core
