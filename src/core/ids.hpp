#pragma once
#include <string>
#include <string_view>

namespace o4o::core {

// A random (version 4) UUID in lowercase text form, from libsodium's CSPRNG.
std::string new_uuid();
// True for the canonical 36-character text form; lets lookups answer 404 without a query.
bool is_uuid(std::string_view text);
// n random bytes as lowercase hex (tokens, secrets).
std::string random_hex(std::size_t bytes);
// SHA-256 of the text as lowercase hex (how tokens are stored).
std::string sha256_hex(std::string_view text);

}  // namespace o4o::core
