#include "db/database.hpp"

namespace o4o::db {

const Value& Row::at(std::size_t i) const {
  if (i >= values_.size())
    throw Error("column " + std::to_string(i) + " out of range (" + std::to_string(values_.size()) +
                " columns)");
  return values_[i];
}

bool Row::is_null(std::size_t i) const {
  return std::holds_alternative<std::nullptr_t>(at(i));
}

int64_t Row::i64(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<bool>(&v)) return *p ? 1 : 0;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    // PostgreSQL numeric (SUM of bigint) arrives as text.
    std::size_t used = 0;
    try {
      int64_t n = std::stoll(*p, &used);
      if (used == p->size()) return n;
    } catch (const std::exception&) {
    }
  }
  throw Error("column " + std::to_string(i) + " is not an integer");
}

double Row::f64(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    try {
      return std::stod(*p);
    } catch (const std::exception&) {
    }
  }
  throw Error("column " + std::to_string(i) + " is not a number");
}

bool Row::boolean(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<bool>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return *p != 0;
  throw Error("column " + std::to_string(i) + " is not a boolean");
}

const std::string& Row::str(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  throw Error("column " + std::to_string(i) + " is not text");
}

std::optional<int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

std::optional<std::string> Row::opt_str(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return str(i);
}

}  // namespace o4o::db
