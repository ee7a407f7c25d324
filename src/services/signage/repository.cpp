#include "services/signage/repository.hpp"

#include <boost/json/parse.hpp>

#include "services/signage/schedule_json.hpp"

namespace o4o::services::signage::repo {

namespace {

constexpr std::string_view kColumns =
    "id, name, location, content, schedule, content_version, token_hash, open_streams, "
    "connected_until, last_seen_at, created_at, updated_at";

constexpr std::string_view kInsert =
    "INSERT INTO signage_displays (id, name, location, content, token_hash, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)";
const std::string kSelectById =
    "SELECT " + std::string(kColumns) + " FROM signage_displays WHERE id = $1";
const std::string kSelectByTokenHash =
    "SELECT " + std::string(kColumns) + " FROM signage_displays WHERE token_hash = $1";
constexpr std::string_view kSelectIdByName = "SELECT id FROM signage_displays WHERE name = $1";
const std::string kSelectPage =
    "SELECT " + std::string(kColumns) + " FROM signage_displays ORDER BY seq LIMIT $1 OFFSET $2";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM signage_displays";
constexpr std::string_view kUpdateDetails =
    "UPDATE signage_displays SET name = COALESCE(CAST($2 AS TEXT), name), "
    "location = COALESCE(CAST($3 AS TEXT), location), content_version = content_version + 1, "
    "updated_at = $4 WHERE id = $1";
constexpr std::string_view kUpdateContent =
    "UPDATE signage_displays SET content = $2, content_version = content_version + 1, "
    "updated_at = $3 WHERE id = $1";
constexpr std::string_view kUpdateSchedule =
    "UPDATE signage_displays SET schedule = $2, content_version = content_version + 1, "
    "updated_at = $3 WHERE id = $1";
constexpr std::string_view kUpdateToken =
    "UPDATE signage_displays SET token_hash = $2 WHERE id = $1";
constexpr std::string_view kDelete = "DELETE FROM signage_displays WHERE id = $1";
// A lapsed lease means the recorded count is stale (no instance renewed it): start again from
// this instance's own count.
constexpr std::string_view kStreamOpened =
    "UPDATE signage_displays SET open_streams = CASE WHEN connected_until IS NULL OR "
    "connected_until < CAST($2 AS BIGINT) THEN CAST($4 AS BIGINT) ELSE open_streams + 1 END, "
    "connected_until = $3, last_seen_at = $2 WHERE id = $1";
constexpr std::string_view kStreamsClosed =
    "UPDATE signage_displays SET open_streams = CASE WHEN open_streams > CAST($2 AS BIGINT) THEN "
    "open_streams - CAST($2 AS BIGINT) ELSE 0 END, last_seen_at = $3 WHERE id = $1";
constexpr std::string_view kStreamsAlive =
    "UPDATE signage_displays SET open_streams = CASE WHEN connected_until IS NULL OR "
    "connected_until < CAST($3 AS BIGINT) THEN CAST($2 AS BIGINT) ELSE open_streams END, "
    "connected_until = $4, "
    "last_seen_at = $3 WHERE id = $1";

Display from_row(const db::Row& r) {
  Display d;
  d.id = r.str(0);
  d.name = r.str(1);
  d.location = r.str(2);
  if (auto content = r.opt_str(3)) d.content = boost::json::parse(*content);
  if (auto schedule = r.opt_str(4)) d.schedule = schedule_from_json(boost::json::parse(*schedule));
  d.content_version = r.i64(5);
  d.token_hash = r.str(6);
  d.open_streams = r.i64(7);
  d.connected_until = r.opt_i64(8);
  d.last_seen_at = r.opt_i64(9);
  d.created_at = r.i64(10);
  d.updated_at = r.i64(11);
  return d;
}

std::optional<Display> first(db::Result result) {
  if (result.rows.empty()) return std::nullopt;
  return from_row(result.rows.front());
}

}  // namespace

void insert(db::Connection& c, const NewDisplay& d) {
  c.exec(kInsert, {d.id, d.name, d.location, d.content, d.token_hash, d.now});
}

std::optional<Display> find(db::Connection& c, const std::string& id) {
  return first(c.query(kSelectById, {id}));
}

std::optional<Display> find_by_token_hash(db::Connection& c, const std::string& token_hash) {
  return first(c.query(kSelectByTokenHash, {token_hash}));
}

std::optional<std::string> find_id_by_name(db::Connection& c, const std::string& name) {
  auto row = c.query_one(kSelectIdByName, {name});
  if (!row) return std::nullopt;
  return row->str(0);
}

std::vector<Display> page(db::Connection& c, int64_t limit, int64_t offset) {
  std::vector<Display> out;
  for (const auto& r : c.query(kSelectPage, {limit, offset}).rows) out.push_back(from_row(r));
  return out;
}

int64_t count(db::Connection& c) {
  return c.query_one(kCount)->i64(0);
}

bool update_details(db::Connection& c, const std::string& id,
                    const std::optional<std::string>& name,
                    const std::optional<std::string>& location, int64_t now) {
  return c.exec(kUpdateDetails, {id, name, location, now}) > 0;
}

bool update_content(db::Connection& c, const std::string& id, const std::string& content_json,
                    int64_t now) {
  return c.exec(kUpdateContent, {id, content_json, now}) > 0;
}

bool update_schedule(db::Connection& c, const std::string& id,
                     const std::optional<std::string>& schedule_json, int64_t now) {
  return c.exec(kUpdateSchedule, {id, schedule_json, now}) > 0;
}

bool update_token(db::Connection& c, const std::string& id, const std::string& token_hash) {
  return c.exec(kUpdateToken, {id, token_hash}) > 0;
}

bool remove(db::Connection& c, const std::string& id) {
  return c.exec(kDelete, {id}) > 0;
}

void stream_opened(db::Connection& c, const std::string& id, int64_t now, int64_t lease_until,
                   int64_t local_streams) {
  c.exec(kStreamOpened, {id, now, lease_until, local_streams});
}

void streams_closed(db::Connection& c, const std::string& id, int64_t closed, int64_t now) {
  c.exec(kStreamsClosed, {id, closed, now});
}

void streams_alive(db::Connection& c, const std::string& id, int64_t local_streams, int64_t now,
                   int64_t lease_until) {
  c.exec(kStreamsAlive, {id, local_streams, now, lease_until});
}

}  // namespace o4o::services::signage::repo
