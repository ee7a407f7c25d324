#pragma once
#include <memory>
#include <string>

#include "db/database.hpp"

namespace o4o::db {
// statement_timeout_ms > 0: a statement running longer is interrupted (TimeoutError).
std::unique_ptr<Database> open_sqlite(const std::string& path, int readers,
                                      int statement_timeout_ms = 0);
}  // namespace o4o::db
