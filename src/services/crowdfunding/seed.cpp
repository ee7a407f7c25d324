// The crowdfunding demo data for `o4o seed`.
#include <string>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "core/demo_media.hpp"
#include "repository.hpp"
#include "service.hpp"

namespace o4o::services::crowdfunding {

// Three projects by the demo creator (one with reward tiers) and two pledges by the demo user.
// Skipped when the demo creator already has projects, so running it twice adds nothing.
void seed(core::AppContext& ctx, const accounts::DemoAccounts& demo) {
  const bool seeded = ctx.db.read(
      [&](db::Connection& c) { return repo::count_projects_by(c, demo.creator_id) > 0; });
  if (seeded) return;

  CrowdfundingService svc(ctx.db, ctx.clock);
  const core::AuthUser creator{demo.creator_id, "", "creator"};
  const core::AuthUser backer{demo.user_id, "", "user"};
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  const int64_t now = ctx.clock.now_ms();

  // In the install's language (o4o seed --locale).
  const accounts::DemoWords words(ctx.config.seed_locale);

  NewProject lanterns;
  lanterns.title = words("마을 텃밭에 태양광 등불을", "Solar lanterns for the community garden");
  lanterns.description = words(
      "저녁에 일하는 자원봉사자들이 길을 볼 수 있도록 텃밭 길을 따라 태양광 등불 스무 개를 "
      "세웁니다.",
      "Twenty solar lanterns along the garden paths so that evening volunteers can see their way.");
  lanterns.image_url = core::demo_media_url("lanterns");
  lanterns.goal = 3'000'000;
  lanterns.deadline = now + 30 * kDay;
  lanterns.rewards = {
      {words("감사 카드", "Thank-you card"),
       words("텃밭 자원봉사자들이 손으로 쓴 감사 카드.",
             "A hand-written card from the garden volunteers."),
       10'000, std::nullopt},
      {words("나만의 등불", "Your own lantern"),
       words("텃밭과 같은 등불 하나를 베란다에.",
             "One lantern for your balcony, same as in the garden."),
       50'000, 20},
      {words("함께 만드는 날", "Build day"),
       words("등불 조립의 날에 함께해요.", "Join the build day and assemble the lanterns with us."),
       150'000, 5},
  };
  const Project lantern_project = svc.create_project(creator, lanterns);

  NewProject repair;
  repair.title = words("동네 수리 카페", "Neighbourhood repair café");
  repair.description =
      words("한 달에 한 번 열리는 수리 모임: 공구와 작업대, 고쳐 주는 자원봉사자들.",
            "Monthly repair sessions: tools, a workbench and volunteers who fix things.");
  repair.image_url = core::demo_media_url("repair");
  repair.goal = 1'000'000;
  repair.deadline = now + 21 * kDay;
  const Project repair_project = svc.create_project(creator, repair);

  NewProject book;
  book.title = words("우리 동네 옛 사진집", "Local history photo book");
  book.description = words("이웃들에게서 모은 옛 사진을 엮은 사진집.",
                           "A printed book of old photographs collected from the neighbourhood.");
  book.image_url = core::demo_media_url("photobook");
  book.goal = 5'000'000;
  book.deadline = now + 45 * kDay;
  svc.create_project(creator, book);

  // The demo pledges were paid outside the platform (a manual payment each), so that they do not
  // wait for a payment that nobody will make.
  const auto ledger = ctx.payments.ledger();
  for (const auto& outcome :
       {svc.fund(backer, lantern_project.id, PledgeRequest{50'000, lantern_project.rewards[1].id}),
        svc.fund(backer, repair_project.id, PledgeRequest{20'000, std::nullopt})}) {
    if (!ledger) continue;
    ctx.db.write([&](db::Connection& c) {
      ledger->record_manual(c, "pledge", outcome.pledge.id, backer.id, outcome.pledge.amount, now);
    });
  }
}

}  // namespace o4o::services::crowdfunding
