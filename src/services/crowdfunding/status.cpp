#include "model.hpp"

namespace o4o::services::crowdfunding {

Status project_status(bool cancelled, int64_t deadline_ms, int64_t raised, int64_t goal,
                      int64_t now_ms, std::optional<Status> decided) {
  if (cancelled) return Status::cancelled;
  if (now_ms < deadline_ms) return Status::active;
  if (decided) return *decided;
  return raised >= goal ? Status::successful : Status::failed;
}

std::string_view status_name(Status status) {
  switch (status) {
    case Status::active:
      return "active";
    case Status::successful:
      return "successful";
    case Status::failed:
      return "failed";
    case Status::cancelled:
      return "cancelled";
  }
  return "active";
}

std::optional<Status> parse_status(std::string_view text) {
  for (Status s : {Status::active, Status::successful, Status::failed, Status::cancelled}) {
    if (status_name(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace o4o::services::crowdfunding
