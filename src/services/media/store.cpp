#include "services/media/store.hpp"

#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "core/ids.hpp"

namespace o4o::services::media {

namespace fs = std::filesystem;

MediaStore::MediaStore(std::string dir) : dir_(std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  for (const auto& d : {dir_, upload_dir()}) {
    std::error_code ec;
    fs::create_directories(d, ec);
    if (ec || !fs::is_directory(d))
      throw std::runtime_error("cannot create the media directory " + d);
    ::chmod(d.c_str(), 0700);
  }
}

std::string MediaStore::path(std::string_view file_name) const {
  return dir_ + "/" + std::string(file_name);
}

std::string MediaStore::new_stem() {
  return core::random_hex(16);
}

std::vector<std::string> MediaStore::files_of(const MediaObject& m) {
  std::vector<std::string> names{m.stem + "." + m.ext};
  if (m.kind == "image") {
    names.push_back(m.stem + "-medium.webp");
    names.push_back(m.stem + "-thumb.webp");
  }
  return names;
}

bool MediaStore::valid_file_name(std::string_view name) {
  if (name.size() < 32) return false;
  for (std::size_t i = 0; i < 32; ++i) {
    char c = name[i];
    if (!(std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'))) return false;
  }
  auto rest = name.substr(32);
  for (std::string_view ok : {".webp", "-medium.webp", "-thumb.webp", ".mp4", ".webm"})
    if (rest == ok) return true;
  return false;
}

std::string MediaStore::stem_of(std::string_view name) {
  return std::string(name.substr(0, 32));
}

void MediaStore::remove_files(const std::vector<std::string>& names) const noexcept {
  for (const auto& n : names) {
    std::error_code ec;
    fs::remove(path(n), ec);
  }
}

void MediaStore::sweep_stale_uploads() const noexcept {
  std::error_code ec;
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (fs::directory_iterator it(upload_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e2;
    if (it->is_regular_file(e2) && it->last_write_time(e2) < cutoff) fs::remove(it->path(), e2);
  }
}

void MediaStore::keep(const std::string& from, std::string_view file_name) const {
  ::chmod(from.c_str(), 0600);
  fs::rename(from, path(file_name));  // throws on failure: a 500, the upload is not kept
}

}  // namespace o4o::services::media
