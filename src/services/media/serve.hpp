#pragma once
// GET and HEAD of /media/<file>: the stored files, public by their unguessable names, with
// nosniff, a strong ETag, immutable caching and single byte ranges (206 / 416).
#include "core/http.hpp"
#include "services/media/store.hpp"

namespace o4o::services::media {

core::Response serve_media_file(const MediaStore& store, const core::Request& req);

// A single "bytes=" range of a file of `size` bytes: {first, last} inclusive. nullopt when the
// header asks for several ranges or is not a bytes range (then the whole file is the answer);
// `unsatisfiable` when it is one range that lies outside the file (416).
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  bool unsatisfiable = false;
};
std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size);

}  // namespace o4o::services::media
