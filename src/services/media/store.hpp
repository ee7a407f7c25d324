#pragma once
// The media directory: random file names, files readable by the server's user only, and a
// folder for uploads on their way in (on the same file system, so that keeping one is a rename).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/media/model.hpp"

namespace o4o::services::media {

class MediaStore {
 public:
  // Creates the directory (mode 0700) and its .uploads folder when missing.
  explicit MediaStore(std::string dir);

  const std::string& dir() const { return dir_; }
  std::string upload_dir() const { return dir_ + "/.uploads"; }
  std::string path(std::string_view file_name) const;

  // 32 random hex characters (128 bits): names nobody can guess.
  static std::string new_stem();
  // The file names an object has on disk: its full size first.
  static std::vector<std::string> files_of(const MediaObject& m);
  static std::string url_of(std::string_view file_name) { return "/media/" + std::string(file_name); }
  // A name the server could have made: <32 hex>[-medium|-thumb].<webp|mp4|webm>.
  static bool valid_file_name(std::string_view name);
  // The stem of such a name.
  static std::string stem_of(std::string_view name);

  // Removes the files; missing ones are fine.
  void remove_files(const std::vector<std::string>& names) const noexcept;
  // Uploads left behind by a crash, older than an hour.
  void sweep_stale_uploads() const noexcept;
  // Moves a finished upload into place (same file system), readable by this user only.
  void keep(const std::string& from, std::string_view file_name) const;

 private:
  std::string dir_;
};

}  // namespace o4o::services::media
