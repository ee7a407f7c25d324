// The signage demo data for `o4o seed`.
#include <boost/json/object.hpp>

#include <iostream>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "services/signage/display_service.hpp"

namespace o4o::services::signage {

// Two demo displays. Device tokens are stored hashed and cannot be shown later: an admin gets
// one with POST /api/v1/signage/displays/:id/token.
void seed(core::AppContext& ctx, const accounts::DemoAccounts&) {
  namespace json = boost::json;
  DisplayService service(ctx.db, ctx.clock, ctx.pubsub);
  struct Demo {
    std::string name;
    std::string location;
    json::object content;
  };
  // The names stay the same in both languages: a second seed finds the displays by them.
  const accounts::DemoWords words(ctx.config.seed_locale);
  const Demo demos[] = {
      {"Lobby", words("1층 정문", "Main entrance, ground floor"),
       json::object{{"type", "text"},
                    {"value", words("O4O 주민 센터에 오신 것을 환영합니다!",
                                    "Welcome to the O4O community centre!")}}},
      {"Cafe", words("2층 주민 카페", "Community cafe, first floor"),
       json::object{
           {"type", "playlist"},
           {"items", json::array{json::object{{"type", "text"},
                                              {"value", words("오늘의 메뉴: 핸드드립 커피",
                                                                "Today's special: hand-drip coffee")},
                                              {"durationSeconds", 10}},
                                 json::object{{"type", "html"},
                                              {"value", words("<h1>영업시간 8:00-20:00</h1>",
                                                                "<h1>Open 8:00-20:00</h1>")},
                                              {"durationSeconds", 8}}}}}},
  };
  for (const auto& demo : demos) {
    if (service.find_id_by_name(demo.name)) continue;
    auto made = service.create(demo.name, demo.location, demo.content);
    std::cout << "signage: demo display " << demo.name << " " << made.display.id
              << " (get a device token with POST /api/v1/signage/displays/" << made.display.id
              << "/token)\n";
  }
}

}  // namespace o4o::services::signage
