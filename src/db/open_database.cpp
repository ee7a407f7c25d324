#include "db/database.hpp"
#include "db/postgres_database.hpp"
#include "db/sqlite_database.hpp"

namespace o4o::db {

std::unique_ptr<Database> open_database(const std::string& url, const OpenOptions& options) {
  if (url.rfind("sqlite:", 0) == 0) {
    return open_sqlite(url.substr(7), options.pool_size, options.statement_timeout_ms);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return open_postgres(url, options);
  throw UnavailableError("unsupported database URL (use sqlite:PATH or postgresql://...)");
}

}  // namespace o4o::db
