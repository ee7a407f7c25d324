#pragma once
// One page of a list and the count of all its matches, read together.
#include <utility>

#include "db/database.hpp"
#include "services/ecommerce/model.hpp"

namespace o4o::services::ecommerce {

// Repo has list(Connection&, const Query&) -> std::vector<T> and count(Connection&, const Query&).
template <class Repo, class Query>
auto read_page(db::Database& db, const Repo& repo, const Query& q) {
  using Item = typename decltype(repo.list(std::declval<db::Connection&>(), q))::value_type;
  return db.read([&](db::Connection& c) {
    PageOf<Item> page;
    page.items = repo.list(c, q);
    page.total = repo.count(c, q);
    return page;
  });
}

}  // namespace o4o::services::ecommerce
