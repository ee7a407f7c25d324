#include "services/media/service.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "services/media/sniff.hpp"

namespace o4o::services::media {

namespace {

constexpr int64_t kHourMs = 3600 * 1000;

core::ApiError unsupported(std::string message) {
  return core::ApiError(415, "UNSUPPORTED_MEDIA_TYPE", std::move(message));
}
core::ApiError invalid_file(std::string message) {
  return core::err::validation("file", std::move(message));
}
core::ApiError media_not_found() {
  return core::err::not_found("Media not found");
}

// Reads n bytes at offset from a file (fewer at its end).
std::string read_at(int fd, std::uint64_t offset, std::size_t n) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    auto r = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  out.resize(got);
  return out;
}

struct Fd {
  int fd;
  explicit Fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// HEIF and AVIF share a container and a loader; a declared image/heif for an AVIF is no lie.
bool same_kind(Kind a, Kind b) {
  const auto fold = [](Kind k) { return k == Kind::avif ? Kind::heif : k; };
  return fold(a) == fold(b);
}

}  // namespace

MediaService::MediaService(db::Database& db, const core::Clock& clock, const core::Config& config,
                           MediaStore& store)
    : db_(db), clock_(clock), config_(config), store_(store) {}

std::uint64_t MediaService::limit_for(std::string_view head) const {
  return is_video(sniff(head)) ? std::max(config_.video_upload_limit_bytes,
                                          config_.upload_limit_bytes)
                               : config_.upload_limit_bytes;
}

void MediaService::count_upload(const std::string& user_id) {
  const auto now = clock_.now_ms();
  const int limit = config_.uploads_per_hour;
  std::optional<int64_t> retry_at;
  db_.write([&](db::Connection& c) {
    if (limit > 0) {
      auto w = repo_.uploads_since(c, user_id, now - kHourMs);
      if (w.count >= limit) {
        retry_at = w.oldest + kHourMs;
        return;
      }
    }
    repo_.count_upload(c, user_id, now);
    // The log only serves the limit: an hour of it is all that is ever read.
    if (now % 64 == 0) repo_.prune_uploads(c, now - kHourMs);
  });
  if (retry_at) throw core::err::rate_limited(static_cast<int>((*retry_at - now) / 1000 + 1));
}

std::optional<MediaService::DecodeSlot> MediaService::try_decode_slot() {
  int n = decoding_.load();
  while (n < config_.image_decodes) {
    if (decoding_.compare_exchange_weak(n, n + 1)) return DecodeSlot(decoding_);
  }
  return std::nullopt;
}

bool MediaService::needs_decode(const core::UploadedFile& file) const {
  return is_image(sniff(file.head));
}

MediaObject MediaService::store_upload(const core::AuthUser& user, core::UploadedFile& file) {
  const Kind kind = sniff(file.head);
  if (!is_image(kind) && !is_video(kind))
    throw unsupported("Only JPEG, PNG, WebP, GIF, HEIC and AVIF images and MP4 and WebM videos "
                      "can be uploaded");
  if (auto said = kind_of_mime(file.declared_type); said && !same_kind(*said, kind))
    throw unsupported("The file's declared type does not match its contents");
  if (file.size == 0) throw invalid_file("The file is empty");
  return is_image(kind) ? store_image(user, file, kind) : store_video(user, file, kind);
}

MediaObject MediaService::store_image(const core::AuthUser& user, core::UploadedFile& file,
                                      Kind kind, std::string stem) {
  if (file.size > config_.upload_limit_bytes) throw invalid_file("The image is too large");
  {
    // An archive glued to the end of an image (a JPEG/ZIP polyglot) is not an image.
    Fd f(file.path);
    if (f.fd < 0) throw std::runtime_error("cannot open an upload");
    const std::uint64_t tail = std::min<std::uint64_t>(file.size, 65536 + 22);
    if (has_archive_trailer(read_at(f.fd, file.size - tail, tail)))
      throw unsupported("The file is not only an image");
  }
  MediaObject m;
  m.id = core::new_uuid();
  m.owner_id = user.id;
  m.kind = "image";
  m.content_type = "image/webp";
  m.stem = stem.empty() ? MediaStore::new_stem() : std::move(stem);
  m.ext = "webp";
  const auto names = MediaStore::files_of(m);
  std::vector<Variant> variants{{store_.path(names[0]), 0},
                                {store_.path(names[1]), kMediumBox},
                                {store_.path(names[2]), kThumbBox}};
  ImageResult made;
  try {
    made = process_image(file.path, kind, variants, ImageLimits{});
  } catch (const ImageRejected& r) {
    store_.remove_files(names);
    if (r.unsupported) throw unsupported(r.message);
    throw invalid_file(r.message);
  } catch (...) {
    store_.remove_files(names);
    throw;
  }
  for (const auto& n : names) ::chmod(store_.path(n).c_str(), 0600);
  std::error_code ec;
  m.size = static_cast<int64_t>(std::filesystem::file_size(store_.path(names[0]), ec));
  m.width = made.width;
  m.height = made.height;
  return record(std::move(m), names);
}

MediaObject MediaService::store_video(const core::AuthUser& user, core::UploadedFile& file,
                                      Kind kind) {
  if (file.size > std::max(config_.video_upload_limit_bytes, config_.upload_limit_bytes))
    throw invalid_file("The video is too large");
  bool ok;
  {
    Fd f(file.path);
    if (f.fd < 0) throw std::runtime_error("cannot open an upload");
    ok = kind == Kind::webm
             ? webm_header_ok(read_at(f.fd, 0, 4096))
             : mp4_boxes_ok(file.size, [&](std::uint64_t at, std::size_t n) {
                 return read_at(f.fd, at, n);
               });
  }
  if (!ok) throw invalid_file("The video is damaged or not a complete MP4 or WebM file");
  MediaObject m;
  m.id = core::new_uuid();
  m.owner_id = user.id;
  m.kind = "video";
  m.content_type = std::string(mime_of(kind));
  m.stem = MediaStore::new_stem();
  m.ext = kind == Kind::webm ? "webm" : "mp4";
  m.size = static_cast<int64_t>(file.size);
  const auto names = MediaStore::files_of(m);
  store_.keep(file.path, names[0]);
  file.release();
  return record(std::move(m), names);
}

MediaObject MediaService::record(MediaObject m, const std::vector<std::string>& written) {
  m.created_at = clock_.now_ms();
  try {
    db_.write([&](db::Connection& c) { repo_.insert(c, m); });
  } catch (...) {
    store_.remove_files(written);
    throw;
  }
  return m;
}

MediaObject MediaService::get(const core::AuthUser& user, const std::string& id) {
  if (!core::is_uuid(id)) throw media_not_found();
  auto m = db_.read([&](db::Connection& c) { return repo_.find(c, id); });
  if (!m || (m->owner_id != user.id && !user.is_admin())) throw media_not_found();
  return *m;
}

void MediaService::remove(const core::AuthUser& user, const std::string& id) {
  auto m = get(user, id);
  // The row first: once it is gone nothing points at the files, which go next.
  bool gone = db_.write([&](db::Connection& c) { return repo_.remove(c, m.id); });
  if (!gone) throw media_not_found();
  store_.remove_files(MediaStore::files_of(m));
}

bool MediaService::store_demo_webp(const std::string& owner_id, const std::string& stem,
                                   const std::function<std::string()>& make) {
  if (db_.read([&](db::Connection& c) { return repo_.find_by_stem(c, stem).has_value(); }))
    return false;
  const std::string bytes = make();
  core::UploadedFile file;
  file.path = store_.upload_dir() + "/seed-" + core::random_hex(8);
  int fd = ::open(file.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write to the media directory");
  bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write to the media directory");
  file.size = bytes.size();
  file.head = bytes.substr(0, 4096);
  store_image(core::AuthUser{owner_id, "", "admin"}, file, Kind::webp, stem);
  return true;
}

}  // namespace o4o::services::media
