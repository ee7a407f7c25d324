#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace o4o::core {

// "YYYY-MM-DDTHH:MM:SS.sssZ" for milliseconds since the epoch (UTC).
std::string format_timestamp(int64_t epoch_ms);

// Parses RFC 3339 / ISO 8601 with a 'Z' or numeric offset (fractional seconds optional).
// Returns milliseconds since the epoch, or nullopt when the text is not such a timestamp.
std::optional<int64_t> parse_timestamp(std::string_view text);

}  // namespace o4o::core
