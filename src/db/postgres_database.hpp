#pragma once
#include <memory>
#include <string>

#include "db/database.hpp"

namespace o4o::db {
std::unique_ptr<Database> open_postgres(const std::string& url, const OpenOptions& options);
}  // namespace o4o::db
