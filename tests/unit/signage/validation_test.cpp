// Content and schedule bodies: what is accepted, how it is normalised, and which field a
// problem is reported on.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/errors.hpp"
#include "core/json_body.hpp"
#include "services/signage/content.hpp"
#include "services/signage/schedule_json.hpp"

namespace sg = o4o::services::signage;
namespace json = boost::json;

namespace {

std::optional<json::object> content_of(const char* text) {
  o4o::core::JsonBody body(json::parse(text).as_object());
  return sg::parse_content(body, "", true);
}

// The field names of the problems a body produces (empty when it is valid).
std::vector<std::string> problems(const char* text, bool schedule) {
  o4o::core::JsonBody body(json::parse(text).as_object());
  if (schedule)
    sg::parse_schedule(body);
  else
    sg::parse_content(body, "", true);
  try {
    body.finish();
  } catch (const o4o::core::ApiError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.details().as_array())
      out.emplace_back(d.at("field").as_string().c_str());
    return out;
  }
  return {};
}

using Fields = std::vector<std::string>;

}  // namespace

TEST(SignageContent, KeepsHtmlVerbatimAndDropsUnknownFields) {
  auto c = content_of(R"({"type":"html","value":"  <b onclick=x>hi</b>\n","extra":1})");
  ASSERT_TRUE(c);
  EXPECT_EQ(json::serialize(*c), R"({"type":"html","value":"  <b onclick=x>hi</b>\n"})");
}

TEST(SignageContent, AcceptsPlaylistsWithDurations) {
  auto c = content_of(
      R"({"type":"playlist","items":[{"type":"image","value":"https://x.test/a.png",
          "durationSeconds":5},{"type":"text","value":"hello"}]})");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->at("items").as_array().size(), 2u);
  EXPECT_EQ(c->at("items").as_array()[0].at("durationSeconds").as_int64(), 5);
}

TEST(SignageContent, RejectsBadContent) {
  EXPECT_EQ(problems(R"({})", false), Fields{"type"});
  EXPECT_EQ(problems(R"({"type":"gif","value":"x"})", false), Fields{"type"});
  EXPECT_EQ(problems(R"({"type":"text","value":""})", false), Fields{"value"});
  EXPECT_EQ(problems(R"({"type":"image","value":"ftp://x.test/a.png"})", false), Fields{"value"});
  EXPECT_EQ(problems(R"({"type":"url","value":"javascript:void"})", false), Fields{"value"});
  EXPECT_EQ(problems(R"({"type":"text","value":"x","durationSeconds":0})", false),
            Fields{"durationSeconds"});
  EXPECT_EQ(problems(R"({"type":"text","value":"x","durationSeconds":86401})", false),
            Fields{"durationSeconds"});
  EXPECT_EQ(problems(R"({"type":"playlist","items":[]})", false), Fields{"items"});
  EXPECT_EQ(problems(R"({"type":"playlist","items":[{"type":"playlist","items":[
                 {"type":"text","value":"x"}]}]})",
                     false),
            Fields{"items[0].type"});
  EXPECT_EQ(problems(R"({"type":"playlist","items":[{"type":"text","value":"ok"},
                 {"type":"video","value":"nope"}, 3]})",
                     false),
            (Fields{"items[1].value", "items[2]"}));
  std::string big = R"({"type":"text","value":")" + std::string(100001, 'a') + R"("})";
  EXPECT_EQ(problems(big.c_str(), false), Fields{"value"});
}

TEST(SignageScheduleBody, NormalisesAValidSchedule) {
  o4o::core::JsonBody body(json::parse(R"({"timezone":"Europe/Berlin","entries":[
      {"days":["sun","mon","mon"],"start":"22:00","end":"02:00","priority":2,
       "content":{"type":"text","value":"night"}}]})")
                               .as_object());
  auto s = sg::parse_schedule(body);
  ASSERT_TRUE(s);
  EXPECT_NO_THROW(body.finish());
  auto j = sg::schedule_json(*s);
  EXPECT_EQ(json::serialize(j),
            R"({"timezone":"Europe/Berlin","entries":[{"days":["mon","sun"],"start":"22:00",)"
            R"("end":"02:00","priority":2,"content":{"type":"text","value":"night"}}]})");
  auto back = sg::schedule_from_json(j);
  EXPECT_EQ(back.entries.at(0).days, s->entries.at(0).days);
  EXPECT_EQ(back.zone, s->zone);
}

TEST(SignageScheduleBody, EmptyEntriesMeanNoSchedule) {
  o4o::core::JsonBody body(json::parse(R"({"timezone":"UTC","entries":[]})").as_object());
  auto s = sg::parse_schedule(body);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->entries.empty());
}

TEST(SignageScheduleBody, RejectsBadSchedules) {
  EXPECT_EQ(problems(R"({"timezone":"Mars/Olympus","entries":[]})", true), Fields{"timezone"});
  EXPECT_EQ(problems(R"({"timezone":"UTC"})", true), Fields{"entries"});
  EXPECT_EQ(problems(R"({"entries":[]})", true), Fields{"timezone"});
  EXPECT_EQ(problems(R"({"entries":[{"days":["mon"],"start":"01:00","end":"02:00",
                 "priority":0,"content":{"type":"text","value":"x"}}]})",
                     true),
            Fields{"timezone"});
  EXPECT_EQ(problems(R"({"timezone":"UTC","entries":[{"days":["monday"],"start":"25:00",
                 "end":"10:00","priority":1.5,"content":{"type":"text"}}]})",
                     true),
            (Fields{"entries[0].days", "entries[0].start", "entries[0].priority",
                    "entries[0].content.value"}));
  EXPECT_EQ(problems(R"({"timezone":"UTC","entries":[{"days":["mon"],"start":"10:00",
                 "end":"10:00","priority":0,"content":{"type":"text","value":"x"}}]})",
                     true),
            Fields{"entries[0].end"});
  EXPECT_EQ(problems(R"({"timezone":"UTC","entries":[{"days":[],"start":"10:00",
                 "end":"11:00","priority":0}]})",
                     true),
            (Fields{"entries[0].days", "entries[0].content"}));
}
