#pragma once
// Versioned schema migrations, embedded in the binary at build time from
// src/db/migrations/<dialect>/NNN_name.sql and
// src/services/<svc>/migrations/<dialect>/NNN_name.sql. Versions are unique per dialect across the
// project: 1-99 core, 100-199 auth (100, login_attempts, now lives in src/accounts/migrations:
// the table moved to accounts and kept its number, so databases that have it are left as they
// are), 200-299 crowdfunding, 300-399 ecommerce, 400-499 forum, 500-599
// signage, 600-699 payments, 800-809 mail (src/mail/migrations), 810-819 accounts
// (src/accounts/migrations).
#include <span>
#include <string_view>

#include "db/database.hpp"

namespace o4o::db {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> embedded_migrations(Dialect dialect);

}  // namespace o4o::db
