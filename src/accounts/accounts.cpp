// Accounts outside the HTTP API (`o4o users create`, `o4o seed`) and the email rule the auth
// service shares.
#include "accounts/accounts.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "accounts/token_repository.hpp"
#include "accounts/user_repository.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/password.hpp"
#include "core/text.hpp"

namespace o4o::accounts {
namespace {

constexpr std::size_t kMaxEmailLength = 254;
constexpr std::size_t kMaxLocalLength = 64;
constexpr std::size_t kMaxNameLength = 100;

// Printable ASCII other than the characters that need quoting in an address, or any byte of a
// non-ASCII (UTF-8) character.
bool local_char_ok(unsigned char c) {
  if (c >= 0x80) return true;
  if (c <= 0x20 || c == 0x7f) return false;
  constexpr std::string_view kSpecials = "()<>[]\\,;:@\"";
  return kSpecials.find(static_cast<char>(c)) == std::string_view::npos;
}

bool domain_ok(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t labels = 0;
  std::string_view last;
  while (true) {
    auto dot = domain.find('.');
    std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (unsigned char c : label) {
      const bool ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2 && last.size() >= 2;
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view email) {
  std::string out = core::ascii_lower(core::trim(email));
  if (out.empty() || out.size() > kMaxEmailLength) return std::nullopt;
  const auto at = out.find('@');
  if (at == std::string::npos || at == 0 || out.find('@', at + 1) != std::string::npos) {
    return std::nullopt;
  }
  std::string_view local = std::string_view(out).substr(0, at);
  if (local.size() > kMaxLocalLength || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  for (unsigned char c : local) {
    if (!local_char_ok(c)) return std::nullopt;
  }
  if (!domain_ok(std::string_view(out).substr(at + 1))) return std::nullopt;
  return out;
}

std::string upsert_user(db::Database& db, const core::Clock& clock, const std::string& email,
                        const std::string& password, const std::string& name,
                        const std::string& role) {
  boost::json::array problems;
  auto add = [&](std::string_view field, std::string_view message) {
    problems.push_back(boost::json::object{{"field", field}, {"message", message}});
  };
  const auto normalized = normalize_email(email);
  if (!normalized) add("email", "email must be a valid email address");
  if (auto problem = core::password_problem(password)) add("password", *problem);
  const std::string clean_name(core::trim(name));
  const std::size_t name_length = core::utf8_length(clean_name);
  if (name_length < 1 || name_length > kMaxNameLength)
    add("name", "name must be 1 to 100 characters");
  constexpr std::array<std::string_view, 3> kRoles = {"admin", "creator", "user"};
  if (std::find(kRoles.begin(), kRoles.end(), role) == kRoles.end()) {
    add("role", "role must be one of admin, creator, user");
  }
  if (!problems.empty()) throw core::err::validation(std::move(problems));

  const std::string hash = core::hash_password(password);
  const std::string new_id = core::new_uuid();
  // Two processes creating the same new email at once: the loser's insert hits the unique
  // constraint, and its second pass finds the row and updates it.
  for (int attempt = 0;; ++attempt) {
    try {
      return db.write([&](db::Connection& c) {
        const int64_t now = clock.now_ms();
        if (auto id = user_repo::find_id_by_email(c, *normalized)) {
          user_repo::overwrite(c, *id, hash, clean_name, role, now);
          token_repo::revoke_all_of_user(c, *id, now);
          return *id;
        }
        user_repo::insert(c, {new_id, *normalized, clean_name, role, now, now}, hash);
        return new_id;
      });
    } catch (const db::ConstraintError& e) {
      if (e.kind != db::ConstraintError::Kind::unique || attempt > 0) throw;
    }
  }
}

std::span<const DemoLogin> demo_logins() {
  static constexpr DemoLogin kLogins[] = {
      {"admin@o4o.local", "o4o-Admin-2026!", "Demo Admin", "admin"},
      {"creator@o4o.local", "o4o-Creator-2026!", "Demo Creator", "creator"},
      {"user@o4o.local", "o4o-User-2026!", "Demo User", "user"},
  };
  return kLogins;
}

DemoAccounts seed_demo_accounts(db::Database& db, const core::Clock& clock) {
  DemoAccounts accounts;
  std::string* ids[] = {&accounts.admin_id, &accounts.creator_id, &accounts.user_id};
  std::size_t k = 0;
  for (const auto& d : demo_logins()) {
    *ids[k++] = upsert_user(db, clock, std::string(d.email), std::string(d.password),
                            std::string(d.name), std::string(d.role));
  }
  return accounts;
}

}  // namespace o4o::accounts
