#pragma once
// Every statement on the media tables. Parameters in, rows out.
#include <optional>
#include <string>

#include "db/database.hpp"
#include "services/media/model.hpp"

namespace o4o::services::media {

class MediaRepository {
 public:
  void insert(db::Connection& c, const MediaObject& m) const;
  std::optional<MediaObject> find(db::Connection& c, const std::string& id) const;
  std::optional<MediaObject> find_by_stem(db::Connection& c, const std::string& stem) const;
  bool remove(db::Connection& c, const std::string& id) const;
  // Uploads the user started after `since` (ms): how many, and when the oldest of them was.
  struct Window {
    int64_t count = 0;
    int64_t oldest = 0;
  };
  Window uploads_since(db::Connection& c, const std::string& user_id, int64_t since) const;
  void count_upload(db::Connection& c, const std::string& user_id, int64_t now) const;
  // Drops the upload log older than `before` (it only serves the hourly limit).
  void prune_uploads(db::Connection& c, int64_t before) const;
};

}  // namespace o4o::services::media
