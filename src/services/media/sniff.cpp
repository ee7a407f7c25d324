#include "services/media/sniff.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace o4o::services::media {

namespace {

bool starts(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::uint32_t be32(std::string_view s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// An ISO BMFF 'ftyp' box at the start: HEIF, AVIF or an MP4 by its brands.
Kind ftyp_kind(std::string_view head) {
  if (head.size() < 16 || head.substr(4, 4) != "ftyp") return Kind::unknown;
  std::uint32_t box = be32(head, 0);
  if (box < 16 || box > 4096) return Kind::unknown;
  std::string_view brands = head.substr(8, std::min<std::size_t>(box, head.size()) - 8);
  // Major brand, then the compatible brands after the 4-byte minor version.
  std::vector<std::string_view> all{brands.substr(0, 4)};
  for (std::size_t i = 8; i + 4 <= brands.size(); i += 4) all.push_back(brands.substr(i, 4));
  const auto has = [&](std::string_view b) { return std::find(all.begin(), all.end(), b) != all.end(); };
  const auto major = all.front();
  if (major == "avif" || major == "avis") return Kind::avif;
  if (major == "heic" || major == "heix" || major == "heim" || major == "heis") return Kind::heif;
  if (major == "mif1" || major == "msf1") {
    if (has("avif") || has("avis")) return Kind::avif;
    if (has("heic") || has("heix")) return Kind::heif;
    return Kind::unknown;
  }
  for (std::string_view b : {"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash",
                             "M4V ", "mp71", "MSNV", "3gp4", "3gp5", "3gp6"})
    if (major == b) return Kind::mp4;
  return Kind::unknown;
}

}  // namespace

bool is_image(Kind k) {
  return k == Kind::jpeg || k == Kind::png || k == Kind::webp || k == Kind::gif ||
         k == Kind::heif || k == Kind::avif;
}

bool is_video(Kind k) {
  return k == Kind::mp4 || k == Kind::webm;
}

std::string_view mime_of(Kind k) {
  switch (k) {
    case Kind::jpeg: return "image/jpeg";
    case Kind::png: return "image/png";
    case Kind::webp: return "image/webp";
    case Kind::gif: return "image/gif";
    case Kind::heif: return "image/heic";
    case Kind::avif: return "image/avif";
    case Kind::mp4: return "video/mp4";
    case Kind::webm: return "video/webm";
    case Kind::unknown: break;
  }
  return "application/octet-stream";
}

std::optional<Kind> kind_of_mime(std::string_view declared) {
  auto semi = declared.find(';');
  auto t = lower(declared.substr(0, semi));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(0, 1);
  if (t.empty() || t == "application/octet-stream") return std::nullopt;
  if (t == "image/jpeg" || t == "image/jpg" || t == "image/pjpeg") return Kind::jpeg;
  if (t == "image/png" || t == "image/x-png" || t == "image/apng") return Kind::png;
  if (t == "image/webp") return Kind::webp;
  if (t == "image/gif") return Kind::gif;
  if (t == "image/heic" || t == "image/heif" || t == "image/heic-sequence" ||
      t == "image/heif-sequence")
    return Kind::heif;
  if (t == "image/avif") return Kind::avif;
  if (t == "video/mp4" || t == "video/quicktime" || t == "application/mp4" || t == "video/x-m4v")
    return Kind::mp4;
  if (t == "video/webm" || t == "audio/webm") return Kind::webm;
  return Kind::unknown;  // a type that is none of ours: it cannot match what the bytes are
}

Kind sniff(std::string_view h) {
  if (starts(h, "\xFF\xD8\xFF")) return Kind::jpeg;
  if (starts(h, "\x89PNG\r\n\x1A\n")) return Kind::png;
  if (h.size() >= 12 && starts(h, "RIFF") && h.substr(8, 4) == "WEBP") return Kind::webp;
  if (starts(h, "GIF87a") || starts(h, "GIF89a")) return Kind::gif;
  if (starts(h, "\x1A\x45\xDF\xA3")) return Kind::webm;  // checked further by webm_header_ok
  return ftyp_kind(h);
}

bool has_archive_trailer(std::string_view tail) {
  static constexpr std::string_view eocd("PK\x05\x06", 4);
  static constexpr std::string_view eocd64("PK\x06\x06", 4);
  static constexpr std::string_view local("PK\x03\x04", 4);
  return tail.find(eocd) != std::string_view::npos || tail.find(eocd64) != std::string_view::npos ||
         tail.find(local) != std::string_view::npos;
}

bool mp4_boxes_ok(std::uint64_t size, const ReadAt& read) {
  std::uint64_t at = 0;
  bool moov = false;
  int boxes = 0;
  while (at < size) {
    if (++boxes > 10000) return false;
    auto h = read(at, 16);
    if (h.size() < 8) return false;
    std::uint64_t len = be32(h, 0);
    auto type = h.substr(4, 4);
    for (char c : type)
      if (c < 0x20 || c > 0x7E) return false;
    if (boxes == 1 && type != "ftyp") return false;
    if (len == 1) {
      if (h.size() < 16) return false;
      len = (std::uint64_t(be32(h, 8)) << 32) | be32(h, 12);
      if (len < 16) return false;
    } else if (len == 0) {
      len = size - at;  // to the end of the file
    } else if (len < 8) {
      return false;
    }
    if (type == "moov") moov = true;
    if (len > size - at) return false;  // truncated
    at += len;
  }
  return moov && at == size;
}

namespace {
// An EBML variable-length integer at s[i]; its length in bytes (0 when invalid).
std::size_t vint(std::string_view s, std::size_t i, std::uint64_t& value, bool keep_marker) {
  if (i >= s.size()) return 0;
  auto first = std::uint8_t(s[i]);
  std::size_t len = 1;
  while (len <= 8 && !(first & (0x80 >> (len - 1)))) ++len;
  if (len > 8 || i + len > s.size()) return 0;
  value = keep_marker ? first : (first & (0xFF >> len));
  for (std::size_t k = 1; k < len; ++k) value = (value << 8) | std::uint8_t(s[i + k]);
  return len;
}
}  // namespace

bool webm_header_ok(std::string_view s) {
  std::uint64_t id = 0, size = 0;
  std::size_t n = vint(s, 0, id, true);
  if (n != 4 || id != 0x1A45DFA3) return false;
  std::size_t m = vint(s, n, size, false);
  if (!m || size > 256) return false;
  std::size_t body = n + m, end = body + size;
  if (end > s.size()) return false;
  bool webm = false;
  for (std::size_t i = body; i < end;) {
    std::uint64_t eid = 0, esize = 0;
    std::size_t a = vint(s, i, eid, true);
    if (!a) return false;
    std::size_t b = vint(s, i + a, esize, false);
    if (!b || i + a + b + esize > end) return false;
    if (eid == 0x4282) webm = s.substr(i + a + b, esize) == "webm";
    i += a + b + esize;
  }
  std::uint64_t seg = 0;
  return webm && vint(s, end, seg, true) == 4 && seg == 0x18538067;
}

}  // namespace o4o::services::media
