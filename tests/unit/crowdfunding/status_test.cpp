// The status rule: cancelled wins; active strictly before the deadline; then successful when the
// goal is reached and failed otherwise. Driven with a ManualClock, as the service is.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "services/crowdfunding/model.hpp"

namespace cf = o4o::services::crowdfunding;

namespace {

cf::Project project_with(int64_t deadline, int64_t goal, int64_t raised) {
  cf::Project p;
  p.deadline = deadline;
  p.goal = goal;
  p.raised = raised;
  return p;
}

}  // namespace

TEST(CrowdfundingStatus, FollowsTheDeadlineWithoutAnyJob) {
  o4o::core::ManualClock clock;
  const int64_t deadline = clock.now_ms() + 1000;
  const auto funded = project_with(deadline, 100, 100);
  const auto short_of_goal = project_with(deadline, 100, 99);

  EXPECT_EQ(funded.status_at(clock.now_ms()), cf::Status::active);
  EXPECT_EQ(short_of_goal.status_at(clock.now_ms()), cf::Status::active);

  clock.advance_ms(999);
  EXPECT_EQ(funded.status_at(clock.now_ms()), cf::Status::active);

  clock.advance_ms(1);  // exactly at the deadline: no longer active
  EXPECT_EQ(funded.status_at(clock.now_ms()), cf::Status::successful);
  EXPECT_EQ(short_of_goal.status_at(clock.now_ms()), cf::Status::failed);
}

TEST(CrowdfundingStatus, CancelledWinsBeforeAndAfterTheDeadline) {
  o4o::core::ManualClock clock;
  auto p = project_with(clock.now_ms() + 1000, 100, 500);
  p.cancelled_at = clock.now_ms();
  EXPECT_EQ(p.status_at(clock.now_ms()), cf::Status::cancelled);
  clock.advance_ms(5000);
  EXPECT_EQ(p.status_at(clock.now_ms()), cf::Status::cancelled);
}

TEST(CrowdfundingStatus, NamesRoundTrip) {
  for (auto s :
       {cf::Status::active, cf::Status::successful, cf::Status::failed, cf::Status::cancelled}) {
    EXPECT_EQ(cf::parse_status(cf::status_name(s)), s);
  }
  EXPECT_FALSE(cf::parse_status("ACTIVE").has_value());
  EXPECT_FALSE(cf::parse_status("").has_value());
}
