#pragma once
#include <memory>
#include <string>

#include "db/database.hpp"

namespace o4o::db {
std::unique_ptr<Database> open_sqlite(const std::string& path, int readers);
}  // namespace o4o::db
