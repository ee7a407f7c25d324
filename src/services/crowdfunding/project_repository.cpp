#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "core/text.hpp"
#include "repository.hpp"

namespace o4o::services::crowdfunding::repo {
namespace {

#define CF_PROJECT_COLUMNS                                                                    \
  "id, creator_id, title, description, image_url, goal, raised, backer_count, pledges_made, " \
  "deadline, cancelled_at, created_at, updated_at, decided_status, "                          \
  "(SELECT u.name FROM users u WHERE u.id = cf_projects.creator_id)"

constexpr const char* kFindProject = "SELECT " CF_PROJECT_COLUMNS " FROM cf_projects WHERE id = $1";

constexpr const char* kInsertProject =
    "INSERT INTO cf_projects (id, creator_id, title, description, image_url, goal, deadline, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

constexpr const char* kInsertReward =
    "INSERT INTO cf_rewards (id, project_id, position, title, description, min_amount, "
    "reward_limit) VALUES ($1, $2, $3, $4, $5, $6, $7)";

// Rewards of several projects at once; $1 is a JSON array of project ids.
constexpr const char* kRewardsOfSqlite =
    "SELECT project_id, id, title, description, min_amount, reward_limit, claimed FROM cf_rewards "
    "WHERE project_id IN (SELECT value FROM json_each($1)) AND retired_at IS NULL "
    "ORDER BY project_id, position";
constexpr const char* kRewardsOfPostgres =
    "SELECT project_id, id, title, description, min_amount, reward_limit, claimed FROM cf_rewards "
    "WHERE project_id IN (SELECT json_array_elements_text(CAST($1 AS json))) "
    "AND retired_at IS NULL ORDER BY project_id, position";

// $1 creatorId, $2 LIKE pattern for q, $3 status, $4 now. The status rule is the one in
// status.cpp: cancelled wins, active before the deadline, then successful or failed by raised.
#define CF_PROJECT_FILTER                                                              \
  " WHERE (CAST($1 AS TEXT) IS NULL OR creator_id = $1)"                               \
  " AND (CAST($2 AS TEXT) IS NULL OR lower(title) LIKE lower($2) ESCAPE '\\'"          \
  " OR lower(description) LIKE lower($2) ESCAPE '\\')"                                 \
  " AND (CAST($3 AS TEXT) IS NULL"                                                     \
  " OR ($3 = 'cancelled' AND cancelled_at IS NOT NULL)"                                \
  " OR ($3 = 'active' AND cancelled_at IS NULL AND deadline > CAST($4 AS BIGINT))"     \
  " OR ($3 = 'successful' AND cancelled_at IS NULL AND deadline <= CAST($4 AS BIGINT)" \
  " AND COALESCE(decided_status, CASE WHEN raised >= goal THEN 'successful'"           \
  " ELSE 'failed' END) = 'successful')"                                                \
  " OR ($3 = 'failed' AND cancelled_at IS NULL AND deadline <= CAST($4 AS BIGINT)"     \
  " AND COALESCE(decided_status, CASE WHEN raised >= goal THEN 'successful'"           \
  " ELSE 'failed' END) = 'failed'))"

constexpr const char* kListProjects =
    "SELECT " CF_PROJECT_COLUMNS " FROM cf_projects" CF_PROJECT_FILTER
    " ORDER BY created_at DESC, seq DESC LIMIT $5 OFFSET $6";
constexpr const char* kListProjectsPopular =
    "SELECT " CF_PROJECT_COLUMNS " FROM cf_projects" CF_PROJECT_FILTER
    " ORDER BY backer_count DESC, raised DESC, created_at, seq LIMIT $5 OFFSET $6";
// Active ones (not cancelled, deadline ahead) first by the soonest deadline, then the rest by the
// latest deadline.
constexpr const char* kListProjectsEnding =
    "SELECT " CF_PROJECT_COLUMNS " FROM cf_projects" CF_PROJECT_FILTER
    " ORDER BY CASE WHEN cancelled_at IS NULL AND deadline > CAST($4 AS BIGINT) THEN 0 ELSE 1 END,"
    " CASE WHEN cancelled_at IS NULL AND deadline > CAST($4 AS BIGINT) THEN deadline"
    " ELSE -deadline END, created_at, seq LIMIT $5 OFFSET $6";
constexpr const char* kCountProjects = "SELECT COUNT(*) FROM cf_projects" CF_PROJECT_FILTER;

constexpr const char* kUpdateProjectText =
    "UPDATE cf_projects SET title = COALESCE(CAST($2 AS TEXT), title), "
    "description = COALESCE(CAST($3 AS TEXT), description), "
    "image_url = CASE WHEN CAST($4 AS INTEGER) = 1 THEN CAST($5 AS TEXT) ELSE image_url END, "
    "updated_at = $6 WHERE id = $1";

constexpr const char* kUpdateProjectTerms =
    "UPDATE cf_projects SET goal = COALESCE(CAST($2 AS BIGINT), goal), "
    "deadline = COALESCE(CAST($3 AS BIGINT), deadline), updated_at = $4 "
    "WHERE id = $1 AND pledges_made = 0 AND cancelled_at IS NULL AND deadline > $4";

constexpr const char* kCancelProject =
    "UPDATE cf_projects SET cancelled_at = $2, updated_at = $2 "
    "WHERE id = $1 AND cancelled_at IS NULL AND deadline > $2";

// Every project whose deadline has passed gets its status from raised at that moment, once.
constexpr const char* kDecideDue =
    "UPDATE cf_projects SET decided_status = CASE WHEN raised >= goal THEN 'successful' "
    "ELSE 'failed' END WHERE decided_status IS NULL AND cancelled_at IS NULL AND deadline <= $1 "
    "RETURNING id, creator_id, title, decided_status";

constexpr const char* kCountProjectsBy = "SELECT COUNT(*) FROM cf_projects WHERE creator_id = $1";

#undef CF_PROJECT_FILTER
#undef CF_PROJECT_COLUMNS

Project project_from(const db::Row& r) {
  Project p;
  p.id = r.str(0);
  p.creator_id = r.str(1);
  p.title = r.str(2);
  p.description = r.str(3);
  p.image_url = r.opt_str(4);
  p.goal = r.i64(5);
  p.raised = r.i64(6);
  p.backer_count = r.i64(7);
  p.pledges_made = r.i64(8);
  p.deadline = r.i64(9);
  p.cancelled_at = r.opt_i64(10);
  p.created_at = r.i64(11);
  p.updated_at = r.i64(12);
  if (auto decided = r.opt_str(13)) p.decided = parse_status(*decided);
  p.creator_name = r.opt_str(14).value_or("");
  return p;
}

}  // namespace

std::optional<Project> find_project(db::Connection& c, std::string_view id) {
  auto row = c.query_one(kFindProject, {id});
  if (!row) return std::nullopt;
  return project_from(*row);
}

void load_rewards(db::Connection& c, std::vector<Project>& projects) {
  if (projects.empty()) return;
  boost::json::array ids;
  for (const auto& p : projects) ids.emplace_back(p.id);
  const char* sql = c.dialect() == db::Dialect::postgres ? kRewardsOfPostgres : kRewardsOfSqlite;
  auto result = c.query(sql, {boost::json::serialize(ids)});
  for (auto& p : projects) {
    p.rewards.clear();
    for (const auto& r : result.rows) {
      if (r.str(0) != p.id) continue;
      p.rewards.push_back(Reward{r.str(1), r.str(2), r.str(3), r.i64(4), r.opt_i64(5), r.i64(6)});
    }
  }
}

void insert_project(db::Connection& c, const Project& p) {
  c.exec(kInsertProject, {p.id, p.creator_id, p.title, p.description, p.image_url, p.goal,
                          p.deadline, p.created_at, p.updated_at});
}

void insert_reward(db::Connection& c, std::string_view project_id, int64_t position,
                   const Reward& r) {
  c.exec(kInsertReward,
         {r.id, project_id, position, r.title, r.description, r.min_amount, r.limit});
}

PageOf<Project> list_projects(db::Connection& c, const ProjectFilter& f, int64_t now_ms,
                              int64_t limit, int64_t offset) {
  std::optional<std::string> pattern;
  if (f.q) pattern = core::like_contains_pattern(*f.q);
  std::optional<std::string> status;
  if (f.status) status = std::string(status_name(*f.status));

  PageOf<Project> page;
  const char* sql = f.sort == ProjectSort::popular  ? kListProjectsPopular
                    : f.sort == ProjectSort::ending ? kListProjectsEnding
                                                    : kListProjects;
  auto rows = c.query(sql, {f.creator_id, pattern, status, now_ms, limit, offset});
  for (const auto& r : rows.rows) page.items.push_back(project_from(r));
  load_rewards(c, page.items);
  page.total = c.query_one(kCountProjects, {f.creator_id, pattern, status, now_ms})->i64(0);
  return page;
}

int64_t update_project_text(db::Connection& c, std::string_view id, const ProjectChanges& ch,
                            int64_t now_ms) {
  return c.exec(kUpdateProjectText,
                {id, ch.title, ch.description, ch.image_url_set ? 1 : 0, ch.image_url, now_ms});
}

int64_t update_project_terms(db::Connection& c, std::string_view id, std::optional<int64_t> goal,
                             std::optional<int64_t> deadline, int64_t now_ms) {
  return c.exec(kUpdateProjectTerms, {id, goal, deadline, now_ms});
}

int64_t cancel_project(db::Connection& c, std::string_view id, int64_t now_ms) {
  return c.exec(kCancelProject, {id, now_ms});
}

int64_t count_projects_by(db::Connection& c, std::string_view creator_id) {
  return c.query_one(kCountProjectsBy, {creator_id})->i64(0);
}

std::vector<EndedProject> decide_due_projects(db::Connection& c, int64_t now_ms) {
  std::vector<EndedProject> out;
  for (const auto& r : c.query(kDecideDue, {now_ms}).rows)
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3)});
  return out;
}

}  // namespace o4o::services::crowdfunding::repo
