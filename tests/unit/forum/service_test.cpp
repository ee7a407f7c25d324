// The forum service against a real SQLite database with a manual clock.
#include "services/forum/service.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "support/temp_database.hpp"

namespace o4o::services::forum {
namespace {

class ForumServiceTest : public unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    service_ = std::make_unique<ForumService>(*db_, clock_);
    admin_ = add_user("admin", "Admin");
    alice_ = add_user("user", "Alice");
    bob_ = add_user("user", "Bob");
  }
  void TearDown() override {
    service_.reset();
    TempSqliteTest::TearDown();
  }

  Post post_by(const core::AuthUser& author, std::string title, std::string content = "body") {
    return service_->create_post(author, NewPost{std::move(title), std::move(content)});
  }

  static int status_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const core::ApiError& e) {
      return e.status();
    }
    return 200;
  }

  core::PageOf<Post> search(const std::vector<std::string>& words) {
    PostFilter filter;
    filter.has_search = true;
    filter.search_words = words;
    return service_->list_posts(filter, core::Page{}, "");
  }

  core::ManualClock clock_;
  std::unique_ptr<ForumService> service_;
  core::AuthUser admin_, alice_, bob_;
};

TEST_F(ForumServiceTest, DoubleSubmitWithinTenSecondsReturnsTheFirstPost) {
  const Post first = post_by(alice_, "Hello", "same text");
  clock_.advance_ms(9'999);
  EXPECT_EQ(post_by(alice_, "Hello", "same text").id, first.id);
  EXPECT_NE(post_by(bob_, "Hello", "same text").id, first.id);  // another author
  EXPECT_NE(post_by(alice_, "Hello", "other text").id, first.id);
  clock_.advance_ms(2);  // 10.001 s after the first
  const Post later = post_by(alice_, "Hello", "same text");
  EXPECT_NE(later.id, first.id);
  EXPECT_EQ(post_by(alice_, "Hello", "same text").id, later.id);
}

TEST_F(ForumServiceTest, DoubleSubmitAfterDeletingTheFirstCreatesAnew) {
  const Post first = post_by(alice_, "Gone", "soon");
  service_->delete_post(alice_, first.id);
  const Post second = post_by(alice_, "Gone", "soon");
  EXPECT_NE(second.id, first.id);
  EXPECT_EQ(status_of([&] { service_->get_post(first.id, ""); }), 404);
}

TEST_F(ForumServiceTest, LikesCountOncePerUser) {
  const Post post = post_by(alice_, "Like me");
  EXPECT_EQ(service_->like(bob_, post.id).like_count, 1);
  const Post again = service_->like(bob_, post.id);
  EXPECT_EQ(again.like_count, 1);
  EXPECT_TRUE(again.liked_by_me);
  EXPECT_EQ(service_->like(alice_, post.id).like_count, 2);
  EXPECT_FALSE(service_->get_post(post.id, "").post.liked_by_me);
  EXPECT_EQ(service_->unlike(bob_, post.id).like_count, 1);
  const Post not_liked = service_->unlike(bob_, post.id);
  EXPECT_EQ(not_liked.like_count, 1);
  EXPECT_FALSE(not_liked.liked_by_me);
}

TEST_F(ForumServiceTest, CommentsCountAndLocking) {
  const Post post = post_by(alice_, "Talk");
  const Comment c1 = service_->add_comment(bob_, post.id, "first");
  clock_.advance_ms(1);
  service_->add_comment(alice_, post.id, "second");
  auto detail = service_->get_post(post.id, "");
  EXPECT_EQ(detail.post.comment_count, 2);
  ASSERT_EQ(detail.comments.size(), 2u);
  EXPECT_EQ(detail.comments[0].id, c1.id);
  EXPECT_EQ(detail.comments[0].author_name, "Bob");

  EXPECT_EQ(status_of([&] { service_->update_comment(alice_, post.id, c1.id, "x"); }), 403);
  EXPECT_EQ(service_->update_comment(admin_, post.id, c1.id, "edited").content, "edited");
  service_->delete_comment(bob_, post.id, c1.id);
  EXPECT_EQ(service_->get_post(post.id, "").post.comment_count, 1);
  EXPECT_EQ(status_of([&] { service_->delete_comment(bob_, post.id, c1.id); }), 404);

  PostPatch lock;
  lock.locked = true;
  EXPECT_EQ(status_of([&] { service_->update_post(alice_, post.id, lock); }), 403);
  EXPECT_TRUE(service_->update_post(admin_, post.id, lock).locked);
  EXPECT_EQ(status_of([&] { service_->add_comment(bob_, post.id, "late"); }), 409);
}

TEST_F(ForumServiceTest, CommentOfAnotherPostIsNotFound) {
  const Post a = post_by(alice_, "A");
  const Post b = post_by(alice_, "B");
  const Comment c = service_->add_comment(bob_, a.id, "on a");
  EXPECT_EQ(status_of([&] { service_->update_comment(bob_, b.id, c.id, "x"); }), 404);
  EXPECT_EQ(status_of([&] { service_->delete_comment(bob_, b.id, c.id); }), 404);
}

TEST_F(ForumServiceTest, OnlyAuthorOrAdminEditsAndDeletes) {
  const Post post = post_by(alice_, "Mine");
  PostPatch patch;
  patch.title = "Renamed";
  EXPECT_EQ(status_of([&] { service_->update_post(bob_, post.id, patch); }), 403);
  EXPECT_EQ(service_->update_post(alice_, post.id, patch).title, "Renamed");
  EXPECT_EQ(status_of([&] { service_->delete_post(bob_, post.id); }), 403);
  service_->add_comment(bob_, post.id, "c");
  service_->like(bob_, post.id);
  service_->delete_post(admin_, post.id);
  EXPECT_EQ(status_of([&] { service_->get_post(post.id, ""); }), 404);
  EXPECT_EQ(status_of([&] { service_->delete_post(admin_, post.id); }), 404);
  const auto leftovers = db_->read([&](db::Connection& c) {
    return c
        .query_one(
            "SELECT (SELECT COUNT(*) FROM forum_comments) + "
            "(SELECT COUNT(*) FROM forum_likes)")
        ->i64(0);
  });
  EXPECT_EQ(leftovers, 0);
}

TEST_F(ForumServiceTest, ListsPinnedFirstThenNewest) {
  const Post old_post = post_by(alice_, "old");
  clock_.advance_ms(1000);
  const Post mid = post_by(alice_, "mid");
  const Post same_time = post_by(bob_, "same time");  // same created_at: creation order decides
  PostPatch pin;
  pin.pinned = true;
  service_->update_post(admin_, old_post.id, pin);
  const auto list = service_->list_posts(PostFilter{}, core::Page{}, "");
  ASSERT_EQ(list.total, 3);
  EXPECT_EQ(list.items[0].id, old_post.id);
  EXPECT_EQ(list.items[1].id, same_time.id);
  EXPECT_EQ(list.items[2].id, mid.id);

  PostFilter by_bob;
  by_bob.author_id = bob_.id;
  EXPECT_EQ(service_->list_posts(by_bob, core::Page{}, "").total, 1);
  const auto categories = service_->categories();
  ASSERT_EQ(categories.size(), 1u);
  EXPECT_EQ(categories[0].name, "general");
  EXPECT_EQ(categories[0].count, 3);
}

TEST_F(ForumServiceTest, SearchMatchesWordPrefixesAndFollowsEdits) {
  const Post seoul = post_by(alice_, "주말 모임", "토요일에 서울에서 만나요");
  const Post other = post_by(alice_, "Weekend", "Meeting in Busan");
  auto found = search({"서울"});
  ASSERT_EQ(found.total, 1);
  EXPECT_EQ(found.items[0].id, seoul.id);
  EXPECT_EQ(search({"meet"}).items.at(0).id, other.id);
  EXPECT_EQ(search({"meet", "busan"}).total, 1);
  EXPECT_EQ(search({"meet", "seoul"}).total, 0);
  EXPECT_EQ(search({"OR"}).total, 0);

  PostPatch patch;
  patch.content = "Moved to Daegu";
  service_->update_post(alice_, other.id, patch);
  EXPECT_EQ(search({"busan"}).total, 0);
  EXPECT_EQ(search({"daeg"}).total, 1);
  service_->delete_post(alice_, other.id);
  EXPECT_EQ(search({"daeg"}).total, 0);
}

}  // namespace
}  // namespace o4o::services::forum
