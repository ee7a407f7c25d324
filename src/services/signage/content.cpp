#include "services/signage/content.hpp"

#include <boost/json/array.hpp>

namespace o4o::services::signage {

namespace json = boost::json;

std::string field_path(const std::string& prefix, std::string_view field) {
  return prefix.empty() ? std::string(field) : prefix + "." + std::string(field);
}

namespace {

std::optional<json::object> parse_playlist(core::JsonBody& body, const std::string& prefix) {
  const json::value* items = body.get("items");
  std::string name = field_path(prefix, "items");
  if (items == nullptr || !items->is_array()) {
    body.fail(name, name + " must be an array of content items");
    return std::nullopt;
  }
  const auto& list = items->as_array();
  if (list.empty() || list.size() > kMaxPlaylistItems) {
    body.fail(name, name + " must hold 1 to " + std::to_string(kMaxPlaylistItems) + " items");
    return std::nullopt;
  }
  json::array out;
  bool good = true;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string item = "items[" + std::to_string(i) + "]";
    auto child = core::nested(list[i], item, body);
    auto content =
        list[i].is_object() ? parse_content(child, field_path(prefix, item), false) : std::nullopt;
    if (content)
      out.push_back(std::move(*content));
    else
      good = false;
  }
  if (!good) return std::nullopt;
  return json::object{{"type", "playlist"}, {"items", std::move(out)}};
}

}  // namespace

std::optional<json::object> parse_content(core::JsonBody& body, const std::string& prefix,
                                          bool allow_playlist) {
  auto type = body.one_of("type", core::Need::required,
                          {"text", "image", "video", "url", "html", "playlist"});
  if (!type) return std::nullopt;
  if (*type == "playlist") {
    if (allow_playlist) return parse_playlist(body, prefix);
    std::string name = field_path(prefix, "type");
    body.fail(name, name + " playlist cannot be nested in a playlist");
    return std::nullopt;
  }
  bool is_url = *type == "image" || *type == "video" || *type == "url";
  auto value = is_url ? body.url("value", core::Need::required, kMaxValueLength)
                      : body.string("value", core::Need::required, 1, kMaxValueLength, false);
  auto duration = body.integer("durationSeconds", core::Need::optional, 1, kMaxDurationSeconds);
  bool duration_bad = body.has("durationSeconds") && !duration;
  if (!value || duration_bad) return std::nullopt;
  json::object out{{"type", *type}, {"value", *value}};
  if (duration) out["durationSeconds"] = *duration;
  return out;
}

}  // namespace o4o::services::signage
