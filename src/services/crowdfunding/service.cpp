#include "service.hpp"

#include <boost/json/serialize.hpp>

#include "cached.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "json.hpp"
#include "repository.hpp"

namespace o4o::services::crowdfunding {

Project load_project(db::Connection& c, const std::string& id, int64_t now_ms) {
  if (!core::is_uuid(id)) throw core::err::not_found("Project not found");
  auto found = repo::find_project(c, id);
  if (!found) throw core::err::not_found("Project not found");
  std::vector<Project> one{std::move(*found)};
  repo::load_rewards(c, one);
  one.front().status = one.front().status_at(now_ms);
  return std::move(one.front());
}

PageOf<Project> CrowdfundingService::list_projects(const ProjectFilter& filter,
                                                   const core::Page& page) {
  const int64_t now = clock_.now_ms();
  auto result = db_.read([&](db::Connection& c) {
    return repo::list_projects(c, filter, now, page.limit, page.offset());
  });
  for (auto& p : result.items) p.status = p.status_at(now);
  return result;
}

Project CrowdfundingService::get_project(const std::string& id) {
  const int64_t now = clock_.now_ms();
  return db_.read([&](db::Connection& c) { return load_project(c, id, now); });
}

Project CrowdfundingService::create_project(const core::AuthUser& user, const NewProject& in) {
  const int64_t now = clock_.now_ms();
  Project p;
  p.id = core::new_uuid();
  p.creator_id = user.id;
  p.title = in.title;
  p.description = in.description;
  p.image_url = in.image_url;
  p.goal = in.goal;
  p.deadline = in.deadline;
  p.created_at = now;
  p.updated_at = now;
  p.status = p.status_at(now);
  for (const auto& r : in.rewards) {
    p.rewards.push_back(Reward{core::new_uuid(), r.title, r.description, r.min_amount, r.limit, 0});
  }
  return db_.write([&](db::Connection& c) {
    repo::insert_project(c, p);
    int64_t position = 0;
    for (const auto& r : p.rewards) repo::insert_reward(c, p.id, position++, r);
    c.note_change(cached::kProjectLists);
    return load_project(c, p.id, now);  // as every answer reads it (with the creator's name)
  });
}

// goal and deadline are the terms backers pledged under, so they may change only while the
// project is active and no pledge was ever made — a cancelled pledge counts too, because its
// backer saw the old terms (pledges_made never goes down). Title, description and image may
// change at any time.
Project CrowdfundingService::update_project(const core::AuthUser& user, const std::string& id,
                                            const ProjectChanges& changes) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    Project p = load_project(c, id, now);
    core::require_owner_or_admin(user, p.creator_id);
    cached::project_changed(c, id);
    if (changes.goal || changes.deadline) {
      if (repo::update_project_terms(c, id, changes.goal, changes.deadline, now) == 0) {
        throw core::err::conflict(
            "CONFLICT",
            "Goal and deadline can only change while the project is active and has no pledges");
      }
    }
    if (changes.title || changes.description || changes.image_url_set) {
      repo::update_project_text(c, id, changes, now);
    }
    return load_project(c, id, now);
  });
}

// Only an active project can be cancelled; cancelling one that is already cancelled or whose
// deadline has passed is 409 INVALID_TRANSITION. Its pledges stay as they are.
Project CrowdfundingService::cancel_project(const core::AuthUser& user, const std::string& id) {
  const int64_t now = clock_.now_ms();
  return db_.write([&](db::Connection& c) {
    Project p = load_project(c, id, now);
    core::require_owner_or_admin(user, p.creator_id);
    cached::project_changed(c, id);
    if (repo::cancel_project(c, id, now) == 0) {
      throw core::err::conflict("INVALID_TRANSITION", "Only an active project can be cancelled");
    }
    return load_project(c, id, now);
  });
}

namespace {
// Until the status of an active project changes by itself: its deadline.
int64_t status_expiry(const Project& p) {
  return p.status == Status::active ? p.deadline : 0;
}
}  // namespace

std::optional<std::string> CrowdfundingService::project_key(std::string_view id) {
  if (!core::is_uuid(id)) return std::nullopt;
  return "crowdfunding.project:" + std::string(id);
}

std::optional<std::string> CrowdfundingService::list_key(const ProjectFilter& filter,
                                                         const core::Page& page) {
  // Only the plain first page: a status filter's matches change with time anywhere in the list
  // (a page-one expiry would not see them), and searches are many and each rare.
  if (filter.status || filter.q || filter.creator_id || page.page != 1) return std::nullopt;
  return "crowdfunding.projects?limit=" + std::to_string(page.limit) +
         "&sort=" + std::to_string(static_cast<int>(filter.sort));
}

core::ReadCache::Text CrowdfundingService::get_project_json(const std::string& id) {
  auto render = [&] {
    const auto p = get_project(id);
    return core::ReadCache::Fresh{boost::json::serialize(project_json(p)), status_expiry(p)};
  };
  const auto key = project_key(id);
  if (!cache_ || !key) return std::make_shared<const std::string>(render().json);
  return cache_->get(*key, cached::project_tags(id), clock_.now_ms(), render);
}

core::ReadCache::Text CrowdfundingService::list_projects_json(const ProjectFilter& filter,
                                                              const core::Page& page) {
  auto render = [&] {
    const auto list = list_projects(filter, page);
    int64_t expires = 0;
    for (const auto& p : list.items) {
      const auto at = status_expiry(p);
      if (at != 0 && (expires == 0 || at < expires)) expires = at;
    }
    return core::ReadCache::Fresh{
        boost::json::serialize(projects_page_json(list, page)), expires};
  };
  const auto key = list_key(filter, page);
  if (!cache_ || !key) return std::make_shared<const std::string>(render().json);
  return cache_->get(*key, cached::list_tags(), clock_.now_ms(), render);
}

}  // namespace o4o::services::crowdfunding
