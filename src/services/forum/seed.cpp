// Demo data for `o4o seed`: a few posts in a couple of categories (Korean and English) with
// comments and likes. Posts that already exist (same author and title) are left alone, so running
// it twice changes nothing.
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "services/forum/service.hpp"

namespace o4o::services::forum {
namespace {

struct DemoPost {
  const core::AuthUser* author;
  NewPost post;
  bool pinned;
  std::vector<std::pair<const core::AuthUser*, std::string>> comments;
  std::vector<const core::AuthUser*> likers;
};

}  // namespace

void seed(core::AppContext& ctx, const accounts::DemoAccounts& users) {
  ForumService service(ctx.db, ctx.clock);
  const core::AuthUser admin{users.admin_id, "", "admin"};
  const core::AuthUser creator{users.creator_id, "", "creator"};
  const core::AuthUser user{users.user_id, "", "user"};

  // In the install's language (o4o seed --locale).
  const accounts::DemoWords words(ctx.config.seed_locale);
  const std::vector<DemoPost> demo = {
      {&admin,
       {words("O4O 커뮤니티 포럼에 오신 것을 환영합니다", "Welcome to the O4O community forum"),
        words("서로 존중하며 이야기해 주세요. 공지와 이벤트 소식은 이 게시판에서 안내합니다.",
              "Please be kind to each other. News and events are announced on this board."),
        "notice"},
       true,
       {{&user, words("반갑습니다! 잘 부탁드려요.", "Hello everyone, glad to be here!")}},
       {&user, &creator}},
      {&user,
       {words("이번 주말 서울에서 만나요", "Meet-up in Seoul this weekend"),
        words("토요일 오후 2시, 서울에서 소규모 모임을 엽니다. 참석하실 분은 댓글 남겨 주세요.",
              "A small meet-up in Seoul on Saturday at 2 pm. Leave a comment if you are coming."),
        "general"},
       false,
       {{&creator, words("저도 참석할게요.", "Count me in.")},
        {&admin, words("장소가 정해지면 공지에 올려 주세요.",
                       "Please post the place in the notices once it is set.")}},
       {&creator}},
      {&creator,
       {words("첫 크라우드펀딩 프로젝트를 위한 팁", "Tips for your first crowdfunding project"),
        words("목표 금액은 현실적으로 정하고, 작동하는 시제품을 보여 주고, 후원자의 질문에는 빨리 "
              "답하세요.",
              "Set a realistic goal, show a working prototype and answer backers' questions "
              "quickly."),
        "crowdfunding"},
       false,
       {{&user, words("시제품 이야기가 특히 도움이 됐어요. 감사합니다!",
                      "The prototype advice helped a lot, thanks!")}},
       {&user, &admin}},
      {&user,
       {words("로비 화면 구성, 어떤 게 좋을까요?", "What should the lobby screen show?"),
        words("로비 화면에서 이미지 재생 목록과 텍스트 안내를 번갈아 보여 주고 있어요. 의견 주세요.",
              "The lobby screen alternates an image playlist with text notices. Ideas welcome."),
        "general"},
       false,
       {},
       {}},
  };

  for (const auto& item : demo) {
    if (service.find_post_id(item.author->id, item.post.title)) continue;
    const Post post = service.create_post(*item.author, item.post);
    if (item.pinned) {
      PostPatch patch;
      patch.pinned = true;
      service.update_post(admin, post.id, patch);
    }
    for (const auto& [author, text] : item.comments) service.add_comment(*author, post.id, text);
    for (const auto* liker : item.likers) service.like(*liker, post.id);
  }
  // The demo's categories by name, in Korean and English (as an admin sets them).
  service.set_category_names("notice", {"공지", "Notices"});
  service.set_category_names("general", {"자유게시판", "General"});
  service.set_category_names("crowdfunding", {"크라우드펀딩", "Crowdfunding"});
}

}  // namespace o4o::services::forum
