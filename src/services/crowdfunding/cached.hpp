#pragma once
// What crowdfunding keeps in the read cache (core/read_cache.hpp) and the change notes its writes
// make (db::Connection::note_change): a project by id, and the first pages of the project list.
// Both show creators' names, so they carry accounts' tag for name changes too.
#include <string>

#include "accounts/user.hpp"
#include "db/database.hpp"

namespace o4o::services::crowdfunding::cached {

inline std::string project_tag(const std::string& id) {
  return "crowdfunding.project:" + id;
}
inline const std::string kProjectLists = "crowdfunding.projects";
// Every project entry: the settlement decides many projects in one statement.
inline const std::string kAllProjects = "crowdfunding.all";

inline std::vector<std::string> project_tags(const std::string& id) {
  return {project_tag(id), kAllProjects, accounts::kUserNamesChanged};
}
inline std::vector<std::string> list_tags() {
  return {kProjectLists, kAllProjects, accounts::kUserNamesChanged};
}

// A project's row or its rewards changed (raised, backers, claims, text, state): its entry and
// every list page go.
inline void project_changed(db::Connection& c, const std::string& id) {
  c.note_change(project_tag(id));
  c.note_change(kProjectLists);
}

}  // namespace o4o::services::crowdfunding::cached
