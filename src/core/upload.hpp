#pragma once
// A multipart/form-data upload streamed to a temporary file as it arrives: the session feeds the
// body's bytes in, the one file part goes to disk, nothing is gathered in memory. The handler gets
// the file (Request::upload) and moves it where it belongs, or lets it be removed.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/multipart.hpp"

namespace o4o::core {

// A file the request brought. Removed from disk when the last owner lets go, unless released.
struct UploadedFile {
  UploadedFile() = default;
  UploadedFile(const UploadedFile&) = delete;
  UploadedFile& operator=(const UploadedFile&) = delete;
  ~UploadedFile();

  std::string path;  // a temporary file (mode 0600) under the upload directory
  std::uint64_t size = 0;
  std::string head;  // its first bytes (up to 4 KiB), for sniffing
  std::string declared_type;  // the part's Content-Type, as sent
  std::optional<std::string> filename;

  // The caller has renamed or removed the file: the destructor leaves it alone.
  void release() { path.clear(); }
};

// Feeds a multipart body into one temporary file: the part named `field` (exactly one of them);
// other parts are read and dropped (at most 1 KiB each).
class MultipartUpload : multipart::Parser::Handler {
 public:
  // `limit(head)` is the most the file part may hold, asked once its first bytes are known
  // (a video may be larger than an image).
  MultipartUpload(std::string boundary, std::string temp_dir,
                  std::function<std::uint64_t(std::string_view head)> limit,
                  std::string field = "file");
  ~MultipartUpload() override;

  // The next body bytes; false to stop reading (then see too_large() and error()).
  bool write(std::string_view bytes);
  // The body has ended: the file, or nullptr with error() set.
  std::shared_ptr<UploadedFile> finish();

  // Closes and removes the partial file (after a refusal).
  void discard();

  bool too_large() const { return too_large_; }
  // Why the upload was refused, safe for the client; empty when nothing went wrong. A disk
  // error is "" with failed() true: the server's fault, not the client's.
  const std::string& error() const { return error_; }
  bool failed() const { return failed_; }

 private:
  bool on_part(const multipart::PartHeaders& headers) override;
  bool on_data(std::string_view bytes) override;
  bool on_part_end() override;
  bool refuse(std::string message);
  bool write_file(std::string_view bytes);

  multipart::Parser parser_;
  std::string temp_dir_;
  std::function<std::uint64_t(std::string_view)> limit_fn_;
  std::string field_;
  std::shared_ptr<UploadedFile> file_;
  int fd_ = -1;
  enum class In { none, file, other } in_ = In::none;
  bool file_done_ = false;
  std::uint64_t limit_ = 0;  // 0 until the head is known
  std::uint64_t other_bytes_ = 0;
  bool too_large_ = false;
  bool failed_ = false;
  std::string error_;
};

}  // namespace o4o::core
