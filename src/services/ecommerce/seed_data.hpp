#pragma once
// Demo data for `o4o seed`: a dozen products across a few categories and one order of the demo
// user. Safe to run twice: a product is added only when none of that name exists, the order only
// when the user has none.
#include <string>

#include "core/clock.hpp"
#include "db/database.hpp"

namespace o4o::services::ecommerce {

void seed_catalogue(db::Database& db, const core::Clock& clock, const std::string& demo_user_id);

}  // namespace o4o::services::ecommerce
