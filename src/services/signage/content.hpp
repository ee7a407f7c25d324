#pragma once
// Validation of display content: text, image, video, url or html, or a playlist of those.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/json_body.hpp"

namespace o4o::services::signage {

inline constexpr std::size_t kMaxValueLength = 100000;
inline constexpr std::size_t kMaxPlaylistItems = 100;
inline constexpr int64_t kMaxDurationSeconds = 86400;

// Reads the content fields of `body` (whose field names carry `prefix`, "" at the top level) and
// returns the normalised content, or nullopt after recording every problem in `body`. HTML and
// text are kept verbatim; unknown fields are dropped. A playlist may not contain a playlist.
std::optional<boost::json::object> parse_content(core::JsonBody& body, const std::string& prefix,
                                                 bool allow_playlist = true);

// "prefix.field", or "field" at the top level: the names used in validation details.
std::string field_path(const std::string& prefix, std::string_view field);

}  // namespace o4o::services::signage
