#include "services/media/serve.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <charconv>

#include "core/envelope.hpp"

namespace o4o::services::media {

namespace {

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t n = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view type_of(std::string_view name) {
  if (name.ends_with(".webp")) return "image/webp";
  if (name.ends_with(".mp4")) return "video/mp4";
  if (name.ends_with(".webm")) return "video/webm";
  return "application/octet-stream";
}

// True when an If-None-Match list names the tag (or is "*").
bool matches(std::string_view list, std::string_view etag) {
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = trim(list.substr(0, comma));
    if (item.starts_with("W/")) item.remove_prefix(2);  // weak comparison for If-None-Match
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size) {
  header = trim(header);
  if (!header.starts_with("bytes=")) return std::nullopt;
  auto spec = trim(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return std::nullopt;  // several: send it all
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto a = trim(spec.substr(0, dash));
  auto b = trim(spec.substr(dash + 1));
  ByteRange r;
  if (a.empty()) {  // the last N bytes
    auto n = number(b);
    if (!n) return std::nullopt;
    if (*n == 0 || size == 0) return ByteRange{0, 0, true};
    r.first = *n >= size ? 0 : size - *n;
    r.last = size - 1;
    return r;
  }
  auto first = number(a);
  if (!first) return std::nullopt;
  std::optional<std::uint64_t> last;
  if (!b.empty()) {
    last = number(b);
    if (!last || *last < *first) return std::nullopt;
  }
  if (*first >= size) return ByteRange{0, 0, true};
  r.first = *first;
  r.last = last ? std::min(*last, size - 1) : size - 1;
  return r;
}

core::Response serve_media_file(const MediaStore& store, const core::Request& req) {
  auto name = req.param("name");
  const auto not_found = [] { return core::error_response(404, "NOT_FOUND", "No such file"); };
  if (!MediaStore::valid_file_name(name)) return not_found();
  int fd = ::open(store.path(name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return not_found();
  auto file = std::make_shared<core::OpenFile>(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return not_found();
  const auto size = static_cast<std::uint64_t>(st.st_size);

  // Names are random and files never change under a name: the name and size are a strong tag.
  std::string etag = "\"";
  etag.append(name.substr(0, 32)).append("-").append(std::to_string(size)).append("\"");
  core::Response res;
  res.content_type = std::string(type_of(name));
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "public, max-age=31536000, immutable");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
  if (auto inm = req.header("if-none-match"); inm && matches(*inm, etag)) {
    res.status = 304;
    return res;
  }
  std::optional<ByteRange> range;
  if (auto h = req.header("range")) {
    range = parse_range(*h, size);
    // If-Range with another validator: the file changed for the client; send it whole.
    if (auto ir = req.header("if-range"); ir && trim(*ir) != etag) range.reset();
  }
  if (range && range->unsatisfiable) {
    auto r = core::error_response(416, "RANGE_NOT_SATISFIABLE", "The range is outside the file");
    r.set_header("Content-Range", "bytes */" + std::to_string(size));
    r.set_header("X-Content-Type-Options", "nosniff");
    return r;
  }
  if (range) {
    res.status = 206;
    res.set_header("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                        std::to_string(range->last) + "/" + std::to_string(size));
    res.file = core::FileBody{file, range->first, range->last - range->first + 1};
  } else {
    res.file = core::FileBody{file, 0, size};
  }
  return res;
}

}  // namespace o4o::services::media
