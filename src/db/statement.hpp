#pragma once
// The parameters of a statement whose shape depends on the request (optional filters, IN lists,
// paging), numbered $1, $2, ... in the order they are bound, so that the SQL text and its
// parameters cannot drift apart. Both back-ends read "$n" (SQLite's is rewritten to "?n").
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/database.hpp"

namespace o4o::db {

class Statement {
 public:
  // Adds a parameter and returns its placeholder.
  std::string bind(Param param) {
    params_.push_back(std::move(param));
    std::string placeholder = "$";
    placeholder.append(std::to_string(params_.size()));
    return placeholder;
  }

  // Adds every parameter and returns their placeholders separated by commas, for IN (...).
  std::string bind_list(std::vector<Param> params) {
    std::string out;
    for (auto& p : params) {
      if (!out.empty()) out += ", ";
      out += bind(std::move(p));
    }
    return out;
  }

  // " LIMIT $n OFFSET $m ", spaced to follow and precede any clause.
  std::string limit_offset(int64_t limit, int64_t offset) {
    std::string out = " LIMIT ";
    out.append(bind(limit)).append(" OFFSET ").append(bind(offset)).append(" ");
    return out;
  }

  const std::vector<Param>& params() const { return params_; }

 private:
  std::vector<Param> params_;
};

// Appends a named fragment with every "$?" in it replaced by a placeholder from Statement::bind.
inline void append_fragment(std::string& sql, std::string_view fragment,
                            std::string_view placeholder) {
  for (auto at = fragment.find("$?"); at != std::string_view::npos; at = fragment.find("$?")) {
    sql.append(fragment.substr(0, at)).append(placeholder);
    fragment.remove_prefix(at + 2);
  }
  sql.append(fragment);
}

}  // namespace o4o::db
