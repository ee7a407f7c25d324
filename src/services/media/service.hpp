#pragma once
// Media uploads: what a file is (from its bytes), whether it may be kept, its variants, and who
// may see or delete it. No HTTP here: errors are core::ApiError with the contract's codes.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/auth.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/upload.hpp"
#include "db/database.hpp"
#include "services/media/image.hpp"
#include "services/media/model.hpp"
#include "services/media/repository.hpp"
#include "services/media/store.hpp"

namespace o4o::services::media {

class MediaService {
 public:
  MediaService(db::Database& db, const core::Clock& clock, const core::Config& config,
               MediaStore& store);

  // The most an upload's file may hold, from its first bytes: the video limit for what starts
  // like an MP4 or WebM, the image limit for anything else.
  std::uint64_t limit_for(std::string_view head) const;

  // Counts the upload against the user's hourly limit (429 RATE_LIMITED past it).
  void count_upload(const std::string& user_id);

  // A decode slot: at most config.image_decodes images are decoded at once. nullopt when none is
  // free (the caller waits without holding a worker and tries again).
  struct DecodeSlot {
    explicit DecodeSlot(std::atomic<int>& n) : n_(&n) {}
    DecodeSlot(DecodeSlot&& o) noexcept : n_(std::exchange(o.n_, nullptr)) {}
    DecodeSlot(const DecodeSlot&) = delete;
    ~DecodeSlot() {
      if (n_) n_->fetch_sub(1);
    }

   private:
    std::atomic<int>* n_;
  };
  std::optional<DecodeSlot> try_decode_slot();
  // Whether the upload is an image (and so needs a decode slot); 415 when it is neither.
  bool needs_decode(const core::UploadedFile& file) const;

  // Checks the file by its bytes, makes the variants or keeps the video, and records it. The
  // temporary file is consumed either way; nothing is left on disk after an error.
  MediaObject store_upload(const core::AuthUser& user, core::UploadedFile& file);

  // The uploader or an admin; anyone else gets 404 (it is not theirs to know of).
  MediaObject get(const core::AuthUser& user, const std::string& id);
  void remove(const core::AuthUser& user, const std::string& id);

  // A picture made here (seed data) under a fixed stem, owned by `owner_id`; false when that
  // stem is stored already (then `make` is not called).
  bool store_demo_webp(const std::string& owner_id, const std::string& stem,
                       const std::function<std::string()>& make);

 private:
  MediaObject store_image(const core::AuthUser& user, core::UploadedFile& file, Kind kind,
                          std::string stem = "");
  MediaObject store_video(const core::AuthUser& user, core::UploadedFile& file, Kind kind);
  MediaObject record(MediaObject m, const std::vector<std::string>& written);

  db::Database& db_;
  const core::Clock& clock_;
  const core::Config& config_;
  MediaStore& store_;
  MediaRepository repo_;
  std::atomic<int> decoding_{0};
};

}  // namespace o4o::services::media
