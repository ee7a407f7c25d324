// The signage service: displays, their content and schedules, and live pushes to players.
#include <boost/json/object.hpp>
#include <iostream>

#include "accounts/accounts.hpp"
#include "services/signage/routes.hpp"

namespace o4o::services::signage {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  auto module = std::make_shared<SignageModule>(ctx);
  module->hub->start();
  ctx.on_shutdown([module] { module->hub->stop(); });
  add_routes(router, module);
}

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
  const Demo demos[] = {
      {"Lobby", "Main entrance, ground floor",
       json::object{{"type", "text"}, {"value", "Welcome to the O4O community centre!"}}},
      {"Cafe", "Community cafe, first floor",
       json::object{
           {"type", "playlist"},
           {"items", json::array{json::object{{"type", "text"},
                                              {"value", "Today's special: hand-drip coffee"},
                                              {"durationSeconds", 10}},
                                 json::object{{"type", "html"},
                                              {"value", "<h1>Open 8:00-20:00</h1>"},
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
