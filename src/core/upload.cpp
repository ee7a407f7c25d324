#include "core/upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "core/ids.hpp"

namespace o4o::core {

namespace {
constexpr std::size_t kHeadBytes = 4096;
constexpr std::size_t kOtherPartLimit = 1024;
}  // namespace

UploadedFile::~UploadedFile() {
  if (!path.empty()) ::unlink(path.c_str());
}

MultipartUpload::MultipartUpload(std::string boundary, std::string temp_dir,
                                 std::function<std::uint64_t(std::string_view)> limit,
                                 std::string field)
    : parser_(std::move(boundary), *this, {.header_bytes = 8 * 1024, .parts = 8}),
      temp_dir_(std::move(temp_dir)),
      limit_fn_(std::move(limit)),
      field_(std::move(field)) {}

MultipartUpload::~MultipartUpload() {
  if (fd_ >= 0) ::close(fd_);
}

void MultipartUpload::discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  file_.reset();
}

bool MultipartUpload::refuse(std::string message) {
  if (error_.empty() && !failed_) error_ = std::move(message);
  return false;
}

bool MultipartUpload::write(std::string_view bytes) {
  if (too_large_ || failed_ || !error_.empty()) return false;
  if (parser_.feed(bytes)) return true;
  switch (parser_.error()) {
    case multipart::Error::rejected:
      break;  // our own reason is set
    case multipart::Error::header_too_large:
      refuse("A part's headers are too large");
      break;
    case multipart::Error::too_many_parts:
      refuse("Too many parts in the form");
      break;
    default:
      refuse("The body is not valid multipart/form-data");
  }
  return false;
}

std::shared_ptr<UploadedFile> MultipartUpload::finish() {
  if (too_large_ || failed_ || !error_.empty()) return nullptr;
  if (!parser_.finish()) {
    refuse("The multipart/form-data body ends before its closing boundary");
    return nullptr;
  }
  if (!file_ || !file_done_) {
    refuse("A part named \"" + field_ + "\" with the file is required");
    return nullptr;
  }
  if (fd_ >= 0) {
    bool ok = ::close(fd_) == 0;
    fd_ = -1;
    if (!ok) {
      failed_ = true;
      return nullptr;
    }
  }
  return std::move(file_);
}

bool MultipartUpload::on_part(const multipart::PartHeaders& h) {
  if (h.name != field_) {
    in_ = In::other;
    other_bytes_ = 0;
    return true;
  }
  if (file_) return refuse("Send one file per upload");
  auto f = std::make_shared<UploadedFile>();
  std::error_code ec;
  std::filesystem::create_directories(temp_dir_, ec);
  f->path = temp_dir_ + "/upload-" + random_hex(16);
  fd_ = ::open(f->path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    f->path.clear();
    failed_ = true;
    return false;
  }
  f->declared_type = h.content_type;
  f->filename = h.filename;
  file_ = std::move(f);
  in_ = In::file;
  return true;
}

bool MultipartUpload::write_file(std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed_ = true;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool MultipartUpload::on_data(std::string_view bytes) {
  if (in_ == In::other) {
    other_bytes_ += bytes.size();
    return other_bytes_ <= kOtherPartLimit || refuse("Only the file part may be large");
  }
  auto& f = *file_;
  if (f.head.size() < kHeadBytes) {
    f.head.append(bytes.substr(0, kHeadBytes - f.head.size()));
  }
  f.size += bytes.size();
  // The limit is decided once the first bytes tell what the file is (64 are enough to sniff).
  if (limit_ == 0 && f.head.size() >= 64) limit_ = limit_fn_(f.head);
  if (limit_ != 0 && f.size > limit_) {
    too_large_ = true;
    return false;
  }
  return write_file(bytes);
}

bool MultipartUpload::on_part_end() {
  if (in_ == In::file) {
    if (limit_ == 0) limit_ = limit_fn_(file_->head);  // a file under 64 bytes
    if (file_->size > limit_) {
      too_large_ = true;
      return false;
    }
    file_done_ = true;
  }
  in_ = In::none;
  return true;
}

}  // namespace o4o::core
