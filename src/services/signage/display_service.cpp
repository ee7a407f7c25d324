#include "services/signage/display_service.hpp"

#include <boost/json/serialize.hpp>

#include "core/ids.hpp"
#include "core/logging.hpp"
#include "services/signage/repository.hpp"
#include "services/signage/schedule_json.hpp"

namespace o4o::services::signage {

namespace {
constexpr std::size_t kTokenBytes = 32;
}

core::PageOf<Display> DisplayService::list(int64_t limit, int64_t offset) {
  return db_.read([&](db::Connection& c) {
    return core::PageOf<Display>{repo::page(c, limit, offset), repo::count(c)};
  });
}

CreatedDisplay DisplayService::create(const std::string& name, const std::string& location,
                                      std::optional<boost::json::object> content) {
  std::string token = core::random_hex(kTokenBytes);
  repo::NewDisplay row{core::new_uuid(),        name,           location, std::nullopt,
                       core::sha256_hex(token), clock_.now_ms()};
  if (content) row.content = boost::json::serialize(*content);
  auto display = db_.write([&](db::Connection& c) {
    repo::insert(c, row);
    return *repo::find(c, row.id);
  });
  announce(row.id);
  return {std::move(display), std::move(token)};
}

std::optional<Display> DisplayService::find(const std::string& id) {
  return db_.read([&](db::Connection& c) { return repo::find(c, id); });
}

std::optional<Display> DisplayService::find_by_token(std::string_view device_token) {
  auto hash = core::sha256_hex(device_token);
  return db_.read([&](db::Connection& c) { return repo::find_by_token_hash(c, hash); });
}

std::optional<std::string> DisplayService::find_id_by_name(const std::string& name) {
  return db_.read([&](db::Connection& c) { return repo::find_id_by_name(c, name); });
}

template <class Write>
std::optional<Display> DisplayService::write_and_reload(const std::string& id, Write&& write) {
  auto display = db_.write([&](db::Connection& c) -> std::optional<Display> {
    if (!write(c)) return std::nullopt;
    return repo::find(c, id);
  });
  if (display) announce(id);
  return display;
}

std::optional<Display> DisplayService::update_details(const std::string& id,
                                                      const std::optional<std::string>& name,
                                                      const std::optional<std::string>& location) {
  auto now = clock_.now_ms();
  return write_and_reload(
      id, [&](db::Connection& c) { return repo::update_details(c, id, name, location, now); });
}

std::optional<Display> DisplayService::set_content(const std::string& id,
                                                   const boost::json::object& content) {
  auto text = boost::json::serialize(content);
  auto now = clock_.now_ms();
  return write_and_reload(
      id, [&](db::Connection& c) { return repo::update_content(c, id, text, now); });
}

std::optional<Display> DisplayService::set_schedule(const std::string& id,
                                                    const Schedule& schedule) {
  std::optional<std::string> text;
  if (!schedule.entries.empty()) text = boost::json::serialize(schedule_json(schedule));
  auto now = clock_.now_ms();
  return write_and_reload(
      id, [&](db::Connection& c) { return repo::update_schedule(c, id, text, now); });
}

std::optional<std::string> DisplayService::rotate_token(const std::string& id) {
  std::string token = core::random_hex(kTokenBytes);
  auto hash = core::sha256_hex(token);
  bool found = db_.write([&](db::Connection& c) { return repo::update_token(c, id, hash); });
  if (!found) return std::nullopt;
  announce(id);
  return token;
}

bool DisplayService::remove(const std::string& id) {
  bool found = db_.write([&](db::Connection& c) { return repo::remove(c, id); });
  if (found) announce(id);
  return found;
}

std::optional<Display> DisplayService::stream_opened(const std::string& id, int64_t local_streams) {
  auto now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    repo::stream_opened(c, id, now, now + kLeaseMs, local_streams);
    return repo::find(c, id);
  });
}

void DisplayService::streams_closed(const std::map<std::string, int64_t>& closed_by_display) {
  if (closed_by_display.empty()) return;
  auto now = clock_.now_ms();
  db_.write([&](db::Connection& c) {
    for (const auto& [id, closed] : closed_by_display) repo::streams_closed(c, id, closed, now);
  });
}

void DisplayService::streams_alive(const std::map<std::string, int64_t>& open_by_display) {
  if (open_by_display.empty()) return;
  auto now = clock_.now_ms();
  db_.write([&](db::Connection& c) {
    for (const auto& [id, open] : open_by_display)
      repo::streams_alive(c, id, open, now, now + kLeaseMs);
  });
}

void DisplayService::announce(const std::string& id) {
  // The write is committed; a lost notice must not turn it into an error for the client.
  try {
    pubsub_.publish(std::string(kTopic), id);
  } catch (const std::exception& e) {
    core::log::warn("signage: could not publish a display change", {{"error", e.what()}});
  }
}

}  // namespace o4o::services::signage
