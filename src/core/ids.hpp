#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace o4o::core {

// A random (version 4) UUID in lowercase text form, from libsodium's CSPRNG.
std::string new_uuid();
// A version 7 UUID: the first 48 bits are the Unix time in milliseconds (`now_ms`), the other 74
// variable bits random. Rows keyed by it are inserted at the end of their indexes instead of at a
// random place, so a transaction that inserts many of them dirties few pages (fewer writes to
// the log per commit). For records whose creation time is public anyway (orders).
std::string new_time_ordered_uuid(int64_t now_ms);
// True for the canonical 36-character text form; lets lookups answer 404 without a query.
bool is_uuid(std::string_view text);
// n random bytes as lowercase hex (tokens, secrets).
std::string random_hex(std::size_t bytes);
// SHA-256 of the text as lowercase hex (how tokens are stored).
std::string sha256_hex(std::string_view text);

}  // namespace o4o::core
