// libFuzzer target for the signage schedule and content readers (src/services/signage/
// schedule_json.cpp, content.cpp, schedule.cpp). Any JSON body is accepted as a schedule or
// refused with a 400 and nothing else; an accepted one survives its stored form unchanged, picks
// an entry that exists, and names its next change after the moment asked about.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.hpp"
#include "core/json_body.hpp"
#include "services/signage/schedule_json.hpp"

using namespace o4o::core;
using namespace o4o::services::signage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  // The first four bytes pick the moment (seconds since 2026-01-01, over about four years).
  const int64_t offset = static_cast<int64_t>(data[0] | data[1] << 8 | data[2] << 16) * 8 + data[3];
  const Instant now{std::chrono::milliseconds((1767225600LL + offset) * 1000)};
  Request req;
  req.method = Method::put;
  req.headers.push_back({"Content-Type", "application/json"});
  req.body.assign(reinterpret_cast<const char*>(data + 4), size - 4);
  try {
    auto body = JsonBody::parse(req);
    auto schedule = parse_schedule(body);
    if (!schedule) {
      if (body.ok()) std::abort();  // refused without saying why
      return 0;
    }
    const auto stored = schedule_json(*schedule);
    const auto again = schedule_from_json(boost::json::value(stored));
    if (schedule_json(again) != stored) std::abort();
    if (auto i = active_entry(*schedule, now); i && *i >= schedule->entries.size()) std::abort();
    if (auto next = next_change(*schedule, now); next && *next <= now) std::abort();
  } catch (const ApiError& e) {
    if (e.status() != 400) std::abort();
  }
  return 0;
}
