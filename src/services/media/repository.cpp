#include "services/media/repository.hpp"

#include <string_view>

namespace o4o::services::media {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, owner_id, kind, content_type, stem, ext, size, width, height, created_at "
    "FROM media ";
constexpr std::string_view kInsert =
    "INSERT INTO media (id, owner_id, kind, content_type, stem, ext, size, width, height, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kDelete = "DELETE FROM media WHERE id = $1";
constexpr std::string_view kUploadsSince =
    "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM media_uploads WHERE user_id = $1 AND created_at > $2";
constexpr std::string_view kCountUpload =
    "INSERT INTO media_uploads (user_id, created_at) VALUES ($1, $2)";
constexpr std::string_view kPruneUploads = "DELETE FROM media_uploads WHERE created_at < $1";

MediaObject from_row(const db::Row& r) {
  MediaObject m;
  m.id = r.str(0);
  m.owner_id = r.str(1);
  m.kind = r.str(2);
  m.content_type = r.str(3);
  m.stem = r.str(4);
  m.ext = r.str(5);
  m.size = r.i64(6);
  m.width = r.opt_i64(7);
  m.height = r.opt_i64(8);
  m.created_at = r.i64(9);
  return m;
}

}  // namespace

void MediaRepository::insert(db::Connection& c, const MediaObject& m) const {
  c.exec(kInsert, {m.id, m.owner_id, m.kind, m.content_type, m.stem, m.ext, m.size, m.width,
                   m.height, m.created_at});
}

std::optional<MediaObject> MediaRepository::find(db::Connection& c, const std::string& id) const {
  static const std::string sql = std::string(kSelect) + "WHERE id = $1";
  auto row = c.query_one(sql, {id});
  if (!row) return std::nullopt;
  return from_row(*row);
}

std::optional<MediaObject> MediaRepository::find_by_stem(db::Connection& c,
                                                         const std::string& stem) const {
  static const std::string sql = std::string(kSelect) + "WHERE stem = $1";
  auto row = c.query_one(sql, {stem});
  if (!row) return std::nullopt;
  return from_row(*row);
}

bool MediaRepository::remove(db::Connection& c, const std::string& id) const {
  return c.exec(kDelete, {id}) > 0;
}

MediaRepository::Window MediaRepository::uploads_since(db::Connection& c,
                                                      const std::string& user_id,
                                                      int64_t since) const {
  auto row = c.query_one(kUploadsSince, {user_id, since});
  return {row->i64(0), row->i64(1)};
}

void MediaRepository::count_upload(db::Connection& c, const std::string& user_id,
                                   int64_t now) const {
  c.exec(kCountUpload, {user_id, now});
}

void MediaRepository::prune_uploads(db::Connection& c, int64_t before) const {
  c.exec(kPruneUploads, {before});
}

}  // namespace o4o::services::media
