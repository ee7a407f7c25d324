#pragma once
#include <span>

#include "core/demo_media.hpp"

namespace o4o::services::media {

struct DemoPictureFile {
  std::string stem;
  std::uint32_t from;
  std::uint32_t to;
};

inline std::vector<DemoPictureFile> demo_pictures() {
  std::vector<DemoPictureFile> out;
  for (const auto& p : core::kDemoPictures)
    out.push_back({core::demo_media_stem(p.word), p.from, p.to});
  return out;
}

}  // namespace o4o::services::media
