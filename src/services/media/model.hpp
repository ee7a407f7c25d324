#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace o4o::services::media {

// One stored upload. Its files are <stem>.<ext> (and, for an image, <stem>-medium.webp and
// <stem>-thumb.webp) under the media directory.
struct MediaObject {
  std::string id;
  std::string owner_id;
  std::string kind;  // image | video
  std::string content_type;
  std::string stem;
  std::string ext;   // webp | mp4 | webm
  int64_t size = 0;  // bytes of the full-size file
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  int64_t created_at = 0;
};

// Variant sizes: the longest side of each, in pixels.
inline constexpr int kThumbBox = 320;
inline constexpr int kMediumBox = 1280;

}  // namespace o4o::services::media
