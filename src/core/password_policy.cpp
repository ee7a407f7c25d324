// Which new passwords are acceptable: 8..128 characters and not a commonly used one. The list
// (src/core/data/common_passwords.txt, from @zxcvbn-ts/language-common) is lowercase, so a
// password is compared with it after ASCII lowercasing: "Password123" is as common as
// "password123". The password itself is always stored and verified exactly as given.
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/embedded_data.hpp"
#include "core/json_body.hpp"
#include "core/password.hpp"
#include "core/text.hpp"

namespace o4o::core {
namespace {

constexpr std::size_t kMinLength = 8;
constexpr std::size_t kMaxLength = 128;

const std::unordered_set<std::string_view>& common_passwords() {
  static const std::unordered_set<std::string_view> set = [] {
    std::unordered_set<std::string_view> out;
    std::string_view text = embedded_data("common_passwords.txt");
    out.reserve(64 * 1024);
    while (!text.empty()) {
      auto end = text.find('\n');
      std::string_view line = text.substr(0, end);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) out.insert(line);
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
    return out;
  }();
  return set;
}

}  // namespace

std::optional<std::string> password_problem(std::string_view password) {
  const std::size_t length = utf8_length(password);
  if (length < kMinLength) return "password must be at least 8 characters";
  if (length > kMaxLength) return "password must be at most 128 characters";
  if (common_passwords().contains(ascii_lower(password))) {
    return "password is too common and easy to guess; choose another";
  }
  return std::nullopt;
}

}  // namespace o4o::core
