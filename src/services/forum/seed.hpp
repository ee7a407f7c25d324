#pragma once
#include "accounts/accounts.hpp"
#include "services/forum/service.hpp"

namespace o4o::services::forum {

// A few posts in a couple of categories (Korean and English) with comments and likes. Posts that
// already exist (same author and title) are left alone, so running it twice changes nothing.
void seed_demo(ForumService& service, const accounts::DemoAccounts& demo);

}  // namespace o4o::services::forum
