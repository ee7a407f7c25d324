#pragma once
// Reading a JSON request body and validating its fields, collecting every problem into one
// VALIDATION_ERROR. Unknown fields are ignored, never applied.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http.hpp"

namespace o4o::core {

// Largest integer a JSON client can represent exactly; the cap for money and counts.
inline constexpr int64_t kMaxSafeInteger = 9007199254740991;  // 2^53 - 1

enum class Need { required, optional };

// Counts Unicode code points of valid UTF-8 (what the contract's "characters" means).
std::size_t utf8_length(std::string_view s);

class JsonBody {
 public:
  // 415 when a non-empty body is not application/json; 400 INVALID_JSON when it does not parse;
  // 400 VALIDATION_ERROR when it is not an object. An empty body reads as {}.
  static JsonBody parse(const Request& req);
  explicit JsonBody(boost::json::object obj) : obj_(std::move(obj)) {}

  const boost::json::object& object() const { return obj_; }
  bool has(std::string_view field) const;  // present and not null
  const boost::json::value* get(std::string_view field) const;

  // Each getter records a problem and returns nullopt when the field is missing (and required),
  // of the wrong type or out of range; call finish() once to throw them all.
  // Strings are trimmed of surrounding white space when trim is true; lengths count characters.
  std::optional<std::string> string(std::string_view field, Need need, std::size_t min_len,
                                    std::size_t max_len, bool trim = true);
  // Integers only: 10, not 10.0 or "10".
  std::optional<int64_t> integer(std::string_view field, Need need, int64_t min = 0,
                                 int64_t max = kMaxSafeInteger);
  std::optional<bool> boolean(std::string_view field, Need need);
  // One of the allowed strings.
  std::optional<std::string> one_of(std::string_view field, Need need,
                                    const std::vector<std::string_view>& allowed);
  // An RFC 3339 timestamp, as epoch milliseconds.
  std::optional<int64_t> timestamp(std::string_view field, Need need);
  // A string that is a UUID (IDs are opaque, but we only ever issue UUIDs).
  std::optional<std::string> id(std::string_view field, Need need);
  // An http(s) URL up to max_len characters, or a root-relative URL of an uploaded file
  // ("/media/<name>", as the media service answers them).
  std::optional<std::string> url(std::string_view field, Need need, std::size_t max_len = 2048);

  void fail(std::string field, std::string message);
  bool ok() const { return details_.empty(); }
  // Throws VALIDATION_ERROR with every recorded problem, if any.
  void finish() const;

 private:
  friend JsonBody nested(const boost::json::value& v, std::string_view path, JsonBody& parent);
  std::string path(std::string_view field) const;

  boost::json::object obj_;
  boost::json::array details_;
  std::string prefix_;           // "rewards[0]" for a nested object
  JsonBody* parent_ = nullptr;   // problems of a nested object go to its parent
};

// Validation of a nested object (an element of an array, say) with field names prefixed for the
// details, e.g. "rewards[0].title". Shares the parent's problem list.
JsonBody nested(const boost::json::value& v, std::string_view path, JsonBody& parent);

}  // namespace o4o::core
