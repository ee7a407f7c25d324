#include "core/json_body.hpp"

#include <boost/json.hpp>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"

namespace o4o::core {

namespace json = boost::json;

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

namespace {
bool is_json_content_type(std::string_view ct) {
  auto semi = ct.find(';');
  return ascii_lower(trim(ct.substr(0, semi))) == "application/json";
}
}  // namespace

JsonBody JsonBody::parse(const Request& req) {
  if (trim(req.body).empty()) return JsonBody(json::object{});
  auto ct = req.header("content-type");
  if (!ct || !is_json_content_type(*ct)) throw err::unsupported_media_type();
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  json::value v = json::parse(req.body, ec, {}, opts);
  if (ec) throw err::invalid_json();
  if (!v.is_object())
    throw err::validation(
        json::array{json::object{{"field", ""}, {"message", "Body must be a JSON object"}}},
        "Body must be a JSON object");
  return JsonBody(std::move(v.as_object()));
}

bool JsonBody::has(std::string_view field) const {
  auto* v = obj_.if_contains(field);
  return v && !v->is_null();
}

const json::value* JsonBody::get(std::string_view field) const {
  auto* v = obj_.if_contains(field);
  return (v && !v->is_null()) ? v : nullptr;
}

std::string JsonBody::path(std::string_view field) const {
  return prefix_.empty() ? std::string(field) : prefix_ + "." + std::string(field);
}

void JsonBody::fail(std::string field, std::string message) {
  if (parent_) {
    parent_->fail(std::move(field), std::move(message));
    return;
  }
  details_.push_back(json::object{{"field", std::move(field)}, {"message", std::move(message)}});
}

void JsonBody::finish() const {
  if (!details_.empty()) throw err::validation(details_);
}

std::optional<std::string> JsonBody::string(std::string_view field, Need need, std::size_t min_len,
                                            std::size_t max_len, bool trim) {
  const json::value* v = get(field);
  std::string name = path(field);
  if (!v) {
    if (need == Need::required) fail(name, name + " is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    fail(name, name + " must be a string");
    return std::nullopt;
  }
  std::string_view s = v->as_string();
  if (trim) s = core::trim(s);
  auto len = utf8_length(s);
  if (len < min_len || len > max_len) {
    if (min_len > 0 && len == 0)
      fail(name, name + " must not be empty");
    else
      fail(name, name + " must be " + std::to_string(min_len) + " to " + std::to_string(max_len) +
                     " characters");
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<int64_t> JsonBody::integer(std::string_view field, Need need, int64_t min,
                                         int64_t max) {
  const json::value* v = get(field);
  std::string name = path(field);
  if (!v) {
    if (need == Need::required) fail(name, name + " is required");
    return std::nullopt;
  }
  int64_t n = 0;
  if (v->is_int64()) {
    n = v->as_int64();
  } else if (v->is_uint64()) {
    fail(name, name + " is too large");
    return std::nullopt;
  } else {
    fail(name, name + " must be an integer");
    return std::nullopt;
  }
  if (n < min || n > max) {
    if (max != kMaxSafeInteger)
      fail(name, name + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    else if (n > max)
      fail(name, name + " is too large");  // past 2^53 - 1, where JSON clients lose precision
    else
      fail(name, name + " must be at least " + std::to_string(min));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonBody::boolean(std::string_view field, Need need) {
  const json::value* v = get(field);
  std::string name = path(field);
  if (!v) {
    if (need == Need::required) fail(name, name + " is required");
    return std::nullopt;
  }
  if (!v->is_bool()) {
    fail(name, name + " must be true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::string> JsonBody::one_of(std::string_view field, Need need,
                                            const std::vector<std::string_view>& allowed) {
  auto s = string(field, need, 0, 200, false);
  if (!s) return std::nullopt;
  for (auto a : allowed)
    if (*s == a) return s;
  std::string list;
  for (auto a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  fail(path(field), path(field) + " must be one of: " + list);
  return std::nullopt;
}

std::optional<int64_t> JsonBody::timestamp(std::string_view field, Need need) {
  auto s = string(field, need, 1, 64);
  if (!s) return std::nullopt;
  auto t = parse_timestamp(*s);
  if (!t) fail(path(field), path(field) + " must be an ISO 8601 timestamp");
  return t;
}

std::optional<std::string> JsonBody::id(std::string_view field, Need need) {
  auto s = string(field, need, 1, 64);
  if (!s) return std::nullopt;
  if (!is_uuid(*s)) {
    fail(path(field), path(field) + " is not a valid id");
    return std::nullopt;
  }
  return ascii_lower(*s);
}

std::optional<std::string> JsonBody::url(std::string_view field, Need need, std::size_t max_len) {
  auto s = string(field, need, 1, max_len);
  if (!s) return std::nullopt;
  // The scheme and at least one character more.
  auto starts = [&](std::string_view p) {
    return s->size() > p.size() && starts_with_lower(*s, p);
  };
  bool has_space = s->find_first_of(" \t\r\n") != std::string::npos;
  const auto media_file = [&] {
    constexpr std::string_view prefix = "/media/";
    if (s->rfind(prefix, 0) != 0 || s->size() == prefix.size()) return false;
    for (char c : std::string_view(*s).substr(prefix.size()))
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
        return false;
    return s->find("..") == std::string::npos;
  };
  if (!(starts("http://") || starts("https://") || media_file()) || has_space) {
    fail(path(field), path(field) + " must be an http(s) URL or an uploaded file's /media/ URL");
    return std::nullopt;
  }
  return s;
}

JsonBody nested(const json::value& v, std::string_view path, JsonBody& parent) {
  JsonBody child(v.is_object() ? v.as_object() : json::object{});
  child.prefix_ = parent.path(path);
  child.parent_ = &parent;
  if (!v.is_object()) parent.fail(child.prefix_, child.prefix_ + " must be an object");
  return child;
}

}  // namespace o4o::core
