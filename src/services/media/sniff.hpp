#pragma once
// What a file is, from its bytes alone: the file's name and declared type are never believed.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace o4o::services::media {

enum class Kind { jpeg, png, webp, gif, heif, avif, mp4, webm, unknown };

bool is_image(Kind k);
bool is_video(Kind k);
// The MIME type of a kind ("image/jpeg", "video/mp4"; "application/octet-stream" for unknown).
std::string_view mime_of(Kind k);
// The kind a declared Content-Type names (aliases such as image/jpg included); nullopt for
// a type that names none of them. Empty and application/octet-stream say nothing (nullopt too).
std::optional<Kind> kind_of_mime(std::string_view declared);

// The kind of a file from its first bytes (at least 64 of them when the file has them).
Kind sniff(std::string_view head);

// A whole MP4 checked from its bytes: top-level boxes that cover the file exactly, 'ftyp' first
// and a 'moov' among them. `read(offset, n)` gives up to n bytes at offset.
using ReadAt = std::function<std::string(std::uint64_t offset, std::size_t n)>;
bool mp4_boxes_ok(std::uint64_t size, const ReadAt& read);
// A WebM's start (its first 4 KiB): an EBML header whose DocType is "webm", then a Segment.
bool webm_header_ok(std::string_view head);

// True when the tail of a file (its last bytes, up to 64 KiB + 22) holds a ZIP end-of-central-
// directory record: an image with an archive glued on (a polyglot).
bool has_archive_trailer(std::string_view tail);

}  // namespace o4o::services::media
