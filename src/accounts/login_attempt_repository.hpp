#pragma once
// SQL on login_attempts (migration 100, which kept its number when the table moved from auth to
// accounts): attempts per account and client address.
#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace o4o::accounts::login_attempt_repo {

// Serialises attempt counting for one (email, address) pair until the transaction ends
// (PostgreSQL: an advisory lock; SQLite: write transactions already run one at a time).
void lock_account(db::Connection& c, const std::string& email, const std::string& ip);

int64_t count_account(db::Connection& c, const std::string& email, const std::string& ip,
                      int64_t since);
int64_t count_address(db::Connection& c, const std::string& ip, int64_t since);
// Time of the attempt at `offset` (0 = oldest) within the window.
std::optional<int64_t> account_attempt_at(db::Connection& c, const std::string& email,
                                          const std::string& ip, int64_t since, int64_t offset);
std::optional<int64_t> address_attempt_at(db::Connection& c, const std::string& ip, int64_t since,
                                          int64_t offset);

void insert(db::Connection& c, const std::string& id, const std::string& email,
            const std::string& ip, int64_t at);
void clear_account(db::Connection& c, const std::string& email, const std::string& ip);
void prune(db::Connection& c, int64_t before);

}  // namespace o4o::accounts::login_attempt_repo
