// The service against a real SQLite database in a temp folder, with a ManualClock.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "services/crowdfunding/service.hpp"
#include "support/temp_database.hpp"

namespace cf = o4o::services::crowdfunding;
using o4o::core::ApiError;
using o4o::core::AuthUser;

namespace {

constexpr int64_t kHour = 3600 * 1000;

class CrowdfundingService : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    svc_ = std::make_unique<cf::CrowdfundingService>(*db_, clock_);
    creator_ = make_user("creator");
    other_creator_ = make_user("creator");
    admin_ = make_user("admin");
    alice_ = make_user("user");
    bob_ = make_user("user");
  }
  void TearDown() override {
    svc_.reset();
    TempSqliteTest::TearDown();
  }

  AuthUser make_user(const std::string& role) { return add_user(role, "Test " + role); }

  cf::Project create(const std::string& title, int64_t goal = 1000,
                     std::vector<cf::NewReward> rewards = {}) {
    cf::NewProject p;
    p.title = title;
    p.description = "About " + title;
    p.goal = goal;
    p.deadline = clock_.now_ms() + kHour;
    p.rewards = std::move(rewards);
    return svc_->create_project(creator_, p);
  }

  template <class F>
  static std::string error_code(F&& f) {
    try {
      f();
    } catch (const ApiError& e) {
      return e.code();
    }
    return "none";
  }

  o4o::core::ManualClock clock_;
  std::unique_ptr<cf::CrowdfundingService> svc_;
  AuthUser creator_, other_creator_, admin_, alice_, bob_;
};

}  // namespace

TEST_F(CrowdfundingService, CountersFollowPledgesAndCancellations) {
  const auto p = create("Lanterns");
  auto a1 = svc_->fund(alice_, p.id, {100, std::nullopt});
  svc_->fund(alice_, p.id, {50, std::nullopt});
  auto b1 = svc_->fund(bob_, p.id, {30, std::nullopt});
  EXPECT_EQ(b1.project.raised, 180);
  EXPECT_EQ(b1.project.backer_count, 2);  // alice counted once

  auto cancelled = svc_->cancel_pledge(alice_, a1.pledge.id);
  EXPECT_TRUE(cancelled.pledge.cancelled_at.has_value());
  EXPECT_EQ(cancelled.project.raised, 80);
  EXPECT_EQ(cancelled.project.backer_count, 2);  // alice still has a live pledge

  EXPECT_EQ(svc_->cancel_pledge(admin_, b1.pledge.id).project.backer_count, 1);
  EXPECT_EQ(error_code([&] { svc_->cancel_pledge(alice_, a1.pledge.id); }), "INVALID_TRANSITION");
  EXPECT_EQ(error_code([&] { svc_->cancel_pledge(bob_, a1.pledge.id); }), "NOT_FOUND");
  EXPECT_EQ(svc_->get_project(p.id).raised, 50);
}

TEST_F(CrowdfundingService, LimitedRewardIsNeverOverClaimed) {
  const auto p =
      create("Books", 1000, {{"Signed copy", "", 20, 2}, {"Thanks", "", 1, std::nullopt}});
  const auto& signed_copy = p.rewards[0].id;
  EXPECT_EQ(error_code([&] { svc_->fund(alice_, p.id, {19, signed_copy}); }), "VALIDATION_ERROR");
  auto first = svc_->fund(alice_, p.id, {20, signed_copy});
  svc_->fund(bob_, p.id, {25, signed_copy});
  EXPECT_EQ(error_code([&] { svc_->fund(bob_, p.id, {25, signed_copy}); }), "REWARD_UNAVAILABLE");
  // the refused pledge changed nothing
  auto now = svc_->get_project(p.id);
  EXPECT_EQ(now.raised, 45);
  EXPECT_EQ(now.rewards[0].claimed, 2);

  svc_->cancel_pledge(alice_, first.pledge.id);
  EXPECT_EQ(svc_->get_project(p.id).rewards[0].claimed, 1);
  EXPECT_EQ(svc_->fund(bob_, p.id, {25, signed_copy}).project.rewards[0].claimed, 2);
}

TEST_F(CrowdfundingService, RewardOfAnotherProjectIsAValidationError) {
  const auto p = create("A", 1000, {{"R", "", 1, std::nullopt}});
  const auto q = create("B");
  EXPECT_EQ(error_code([&] {
              svc_->fund(alice_, q.id, {5, p.rewards[0].id});
            }),
            "VALIDATION_ERROR");
  EXPECT_EQ(error_code([&] {
              svc_->fund(alice_, q.id, {5, o4o::core::new_uuid()});
            }),
            "VALIDATION_ERROR");
  EXPECT_EQ(svc_->get_project(q.id).raised, 0);
}

TEST_F(CrowdfundingService, FundingClosesAtTheDeadlineAndOnCancel) {
  const auto p = create("Deadline", 100);
  auto pledge = svc_->fund(alice_, p.id, {100, std::nullopt});
  clock_.advance_ms(kHour);
  EXPECT_EQ(error_code([&] { svc_->fund(bob_, p.id, {5, std::nullopt}); }), "FUNDING_CLOSED");
  EXPECT_EQ(error_code([&] { svc_->cancel_pledge(alice_, pledge.pledge.id); }), "FUNDING_CLOSED");
  EXPECT_EQ(svc_->get_project(p.id).status, cf::Status::successful);
  EXPECT_EQ(svc_->get_project(p.id).raised, 100);

  const auto q = create("Cancelled");
  EXPECT_EQ(error_code([&] { svc_->cancel_project(other_creator_, q.id); }), "FORBIDDEN");
  EXPECT_EQ(svc_->cancel_project(creator_, q.id).status, cf::Status::cancelled);
  EXPECT_EQ(error_code([&] { svc_->cancel_project(admin_, q.id); }), "INVALID_TRANSITION");
  EXPECT_EQ(error_code([&] { svc_->fund(bob_, q.id, {5, std::nullopt}); }), "FUNDING_CLOSED");
}

TEST_F(CrowdfundingService, StatusFilterUsesTheSameRuleAsTheProjects) {
  const auto funded = create("Funded", 10);
  const auto short_of_goal = create("Short", 10);
  const auto cancelled = create("Gone", 10);
  svc_->fund(alice_, funded.id, {10, std::nullopt});
  svc_->fund(alice_, short_of_goal.id, {9, std::nullopt});
  svc_->cancel_project(creator_, cancelled.id);
  const o4o::core::Page page{1, 20};

  auto count = [&](std::optional<cf::Status> s) {
    cf::ProjectFilter f;
    f.status = s;
    auto result = svc_->list_projects(f, page);
    for (const auto& p : result.items) {
      if (s) {
        EXPECT_EQ(p.status, *s);
      }
    }
    return result.total;
  };
  EXPECT_EQ(count(cf::Status::active), 2);
  EXPECT_EQ(count(cf::Status::cancelled), 1);
  clock_.advance_ms(kHour);
  EXPECT_EQ(count(cf::Status::active), 0);
  EXPECT_EQ(count(cf::Status::successful), 1);
  EXPECT_EQ(count(cf::Status::failed), 1);
  EXPECT_EQ(count(cf::Status::cancelled), 1);
  EXPECT_EQ(count(std::nullopt), 3);
}

TEST_F(CrowdfundingService, SearchTreatsWildcardsLiterally) {
  create("100% solar");
  create("Solar_panels");
  create("Wind");
  const o4o::core::Page page{1, 20};
  auto total = [&](const std::string& q) {
    cf::ProjectFilter f;
    f.q = q;
    return svc_->list_projects(f, page).total;
  };
  EXPECT_EQ(total("SOLAR"), 2);
  EXPECT_EQ(total("%"), 1);
  EXPECT_EQ(total("_"), 1);
  EXPECT_EQ(total("about wind"), 1);  // description
  EXPECT_EQ(total("nothing"), 0);
}

TEST_F(CrowdfundingService, GoalAndDeadlineChangeOnlyBeforeTheFirstPledge) {
  const auto p = create("Terms", 100);
  cf::ProjectChanges terms;
  terms.goal = 500;
  EXPECT_EQ(error_code([&] { svc_->update_project(other_creator_, p.id, terms); }), "FORBIDDEN");
  EXPECT_EQ(svc_->update_project(creator_, p.id, terms).goal, 500);

  auto pledge = svc_->fund(alice_, p.id, {10, std::nullopt});
  svc_->cancel_pledge(alice_, pledge.pledge.id);
  terms.goal = 50;
  EXPECT_EQ(error_code([&] { svc_->update_project(admin_, p.id, terms); }), "CONFLICT");

  cf::ProjectChanges text;
  text.title = "Renamed";
  text.image_url_set = true;
  text.image_url = "https://img.test/x.png";
  auto renamed = svc_->update_project(admin_, p.id, text);
  EXPECT_EQ(renamed.title, "Renamed");
  EXPECT_EQ(renamed.goal, 500);
  EXPECT_EQ(renamed.image_url, "https://img.test/x.png");
}

TEST_F(CrowdfundingService, PledgeListsAreScoped) {
  const auto p = create("Lists");
  svc_->fund(alice_, p.id, {10, std::nullopt});
  svc_->fund(bob_, p.id, {20, std::nullopt});
  const o4o::core::Page page{1, 20};
  EXPECT_EQ(svc_->project_pledges(creator_, p.id, page).total, 2);
  EXPECT_EQ(svc_->project_pledges(admin_, p.id, page).total, 2);
  EXPECT_EQ(error_code([&] { svc_->project_pledges(alice_, p.id, page); }), "FORBIDDEN");
  EXPECT_EQ(error_code([&] { svc_->project_pledges(admin_, o4o::core::new_uuid(), page); }),
            "NOT_FOUND");
  auto mine = svc_->my_pledges(alice_, page);
  ASSERT_EQ(mine.total, 1);
  EXPECT_EQ(mine.items[0].project_title, "Lists");
  EXPECT_EQ(mine.items[0].amount, 10);
}

TEST_F(CrowdfundingService, ParallelPledgesKeepCountersExact) {
  const auto p = create("Parallel", 1000, {{"Limited", "", 5, 3}});
  const std::vector<AuthUser> backers{alice_, bob_, admin_, other_creator_};
  std::atomic<int64_t> accepted_sum{0};
  std::atomic<int> claimed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const bool with_reward = i % 3 == 0;
        const int64_t amount = 5 + t + i;
        try {
          svc_->fund(backers[t % backers.size()], p.id,
                     {amount, with_reward ? std::optional(p.rewards[0].id) : std::nullopt});
          accepted_sum += amount;
          if (with_reward) ++claimed;
        } catch (const ApiError& e) {
          EXPECT_EQ(e.code(), "REWARD_UNAVAILABLE");
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto after = svc_->get_project(p.id);
  EXPECT_EQ(after.raised, accepted_sum.load());
  EXPECT_EQ(after.backer_count, 4);
  EXPECT_EQ(after.rewards[0].claimed, 3);
  EXPECT_EQ(claimed.load(), 3);
}
