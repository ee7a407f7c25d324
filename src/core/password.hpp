#pragma once
// Argon2id through libsodium. Slow on purpose: call from routes marked Exec::cpu.
#include <optional>
#include <string>
#include <string_view>

namespace o4o::core {

std::string hash_password(std::string_view password);
// Constant-time check of a password against a stored hash; false for any malformed hash.
bool verify_password(std::string_view password, const std::string& hash);
// Hash of a random password, verified against when the account is unknown, so that an unknown
// email takes as long as a wrong password.
const std::string& dummy_password_hash();

}  // namespace o4o::core

namespace o4o::core {
// Why a new password is not acceptable (length 8..128 characters, not a commonly used password),
// or nullopt when it is fine. The list of common passwords is compiled in from
// src/core/data/common_passwords.txt.
std::optional<std::string> password_problem(std::string_view password);
}  // namespace o4o::core
