#include "accounts/user_repository.hpp"

namespace o4o::accounts::user_repo {
namespace {

#define O4O_USER_COLUMNS \
  "id, email, name, role, created_at, updated_at, email_verified, locale, notify_new_pledges, " \
  "notify_paid_orders"

constexpr std::string_view kFindUser =
    "SELECT " O4O_USER_COLUMNS " FROM users WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kFindIdentity =
    "SELECT id, email, role, email_verified, sessions_after FROM users "
    "WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kFindIdByEmail =
    "SELECT id FROM users WHERE email = $1 AND deleted_at IS NULL";
// NO KEY UPDATE: conflicts with itself and with updates of the row, but not with the key-share
// locks other tables' foreign keys take, so the user's orders and posts are not held up.
constexpr std::string_view kLockUser = "SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kLockUserPostgres =
    "SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL FOR NO KEY UPDATE";
constexpr std::string_view kOverwriteUser =
    "UPDATE users SET password_hash = $2, name = $3, role = $4, updated_at = $5, "
    "email_verified = $6 WHERE id = $1";
constexpr std::string_view kEndAccessTokens =
    "UPDATE users SET sessions_after = $2 WHERE id = $1";
constexpr std::string_view kFindCredentialsByEmail = "SELECT " O4O_USER_COLUMNS
                                                     ", password_hash FROM users "
                                                     "WHERE email = $1 AND deleted_at IS NULL";
constexpr std::string_view kFindCredentials =
    "SELECT " O4O_USER_COLUMNS ", password_hash FROM users WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at, "
    "email_verified, locale) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET name = COALESCE(CAST($2 AS TEXT), name), "
    "role = COALESCE(CAST($3 AS TEXT), role), "
    "password_hash = COALESCE(CAST($4 AS TEXT), password_hash), updated_at = $5, "
    "locale = COALESCE(CAST($7 AS TEXT), locale), "
    "notify_new_pledges = COALESCE($8, notify_new_pledges), "
    "notify_paid_orders = COALESCE($9, notify_paid_orders), "
    "email = COALESCE(CAST($10 AS TEXT), email), "
    "email_verified = CASE WHEN CAST($10 AS TEXT) IS NULL OR CAST($10 AS TEXT) = email "
    "THEN email_verified ELSE $11 END "
    "WHERE id = $1 AND deleted_at IS NULL "
    "AND (CAST($6 AS TEXT) IS NULL OR password_hash = CAST($6 AS TEXT))";
constexpr std::string_view kSetEmailVerified =
    "UPDATE users SET email_verified = $3, updated_at = $4 WHERE id = $1 AND email = $2 "
    "AND deleted_at IS NULL";
constexpr std::string_view kAnonymiseUser =
    "UPDATE users SET email = NULL, name = 'Deleted user', password_hash = NULL, "
    "deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kListUsers = "SELECT " O4O_USER_COLUMNS
                                        " FROM users WHERE deleted_at IS NULL "
                                        "ORDER BY seq LIMIT $1 OFFSET $2";
constexpr std::string_view kSearchUsers =
    "SELECT " O4O_USER_COLUMNS
    " FROM users WHERE deleted_at IS NULL "
    "AND (lower(email) LIKE $3 ESCAPE '\\' OR lower(name) LIKE $3 ESCAPE '\\') "
    "ORDER BY seq LIMIT $1 OFFSET $2";
constexpr std::string_view kPaidOrderWatchers =
    "SELECT " O4O_USER_COLUMNS " FROM users WHERE deleted_at IS NULL AND role = 'admin' "
    "AND notify_paid_orders = $1 AND email IS NOT NULL ORDER BY seq LIMIT 50";
constexpr std::string_view kCountUsers = "SELECT COUNT(*) FROM users WHERE deleted_at IS NULL";
constexpr std::string_view kCountSearchUsers =
    "SELECT COUNT(*) FROM users WHERE deleted_at IS NULL "
    "AND (lower(email) LIKE $1 ESCAPE '\\' OR lower(name) LIKE $1 ESCAPE '\\')";

#undef O4O_USER_COLUMNS

UserRecord user_from_row(const db::Row& row) {
  return UserRecord{row.str(0),        row.opt_str(1).value_or(""), row.str(2),
                    row.str(3),        row.i64(4),
                    row.i64(5),        row.boolean(6),
                    row.str(7),        row.boolean(8),
                    row.boolean(9)};
}

Credentials credentials_from_row(const db::Row& row) {
  return Credentials{user_from_row(row), row.opt_str(10).value_or("")};
}

}  // namespace

std::optional<UserRecord> find(db::Connection& c, const std::string& id) {
  auto row = c.query_one(kFindUser, {id});
  if (!row) return std::nullopt;
  return user_from_row(*row);
}

std::optional<core::AuthUser> find_identity(db::Connection& c, const std::string& id) {
  auto row = c.query_one(kFindIdentity, {id});
  if (!row) return std::nullopt;
  return core::AuthUser{row->str(0), row->opt_str(1).value_or(""), row->str(2), row->boolean(3),
                        row->i64(4)};
}

std::optional<std::string> find_id_by_email(db::Connection& c, const std::string& email) {
  auto row = c.query_one(kFindIdByEmail, {email});
  if (!row) return std::nullopt;
  return row->str(0);
}

bool lock(db::Connection& c, const std::string& id) {
  return c.query_one(c.dialect() == db::Dialect::postgres ? kLockUserPostgres : kLockUser, {id})
      .has_value();
}

std::optional<Credentials> find_credentials_by_email(db::Connection& c, const std::string& email) {
  auto row = c.query_one(kFindCredentialsByEmail, {email});
  if (!row) return std::nullopt;
  return credentials_from_row(*row);
}

std::optional<Credentials> find_credentials(db::Connection& c, const std::string& id) {
  auto row = c.query_one(kFindCredentials, {id});
  if (!row) return std::nullopt;
  return credentials_from_row(*row);
}

void insert(db::Connection& c, const UserRecord& user, const std::string& password_hash) {
  c.exec(kInsertUser, {user.id, user.email, user.name, user.role, password_hash, user.created_at,
                       user.updated_at, user.email_verified, user.locale});
}

// A statement that may change a name also notes it, so that cached pages showing names go; one
// that may change the role or the email (and with it email_verified), the user's identity.
bool update(db::Connection& c, const std::string& id, const Changes& changes, int64_t now) {
  if (changes.name) c.note_change(kUserNamesChanged);
  if (changes.role || changes.email) c.note_change(identity_tag(id));
  return c.exec(kUpdateUser, {id, changes.name, changes.role, changes.password_hash, now,
                              changes.expected_hash, changes.locale, changes.notify_new_pledges,
                              changes.notify_paid_orders, changes.email, false}) > 0;
}

void end_access_tokens(db::Connection& c, const std::string& id, int64_t now) {
  c.note_change(identity_tag(id));
  c.exec(kEndAccessTokens, {id, now});
}

bool set_email_verified(db::Connection& c, const std::string& id, const std::string& email,
                        bool verified, int64_t now) {
  c.note_change(identity_tag(id));
  return c.exec(kSetEmailVerified, {id, email, verified, now}) > 0;
}

void overwrite(db::Connection& c, const std::string& id, const std::string& password_hash,
               const std::string& name, const std::string& role, int64_t now) {
  c.note_change(kUserNamesChanged);
  c.note_change(identity_tag(id));
  c.exec(kOverwriteUser, {id, password_hash, name, role, now, true});
}

bool anonymise(db::Connection& c, const std::string& id, int64_t now) {
  c.note_change(kUserNamesChanged);
  c.note_change(identity_tag(id));
  return c.exec(kAnonymiseUser, {id, now}) > 0;
}

std::vector<UserRecord> list(db::Connection& c, const std::optional<std::string>& pattern,
                             int64_t limit, int64_t offset) {
  auto result = pattern ? c.query(kSearchUsers, {limit, offset, *pattern})
                        : c.query(kListUsers, {limit, offset});
  std::vector<UserRecord> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(user_from_row(row));
  return out;
}

std::vector<UserRecord> paid_order_watchers(db::Connection& c) {
  std::vector<UserRecord> out;
  for (const auto& row : c.query(kPaidOrderWatchers, {true}).rows) out.push_back(user_from_row(row));
  return out;
}

int64_t count(db::Connection& c, const std::optional<std::string>& pattern) {
  auto row = pattern ? c.query_one(kCountSearchUsers, {*pattern}) : c.query_one(kCountUsers);
  return row ? row->i64(0) : 0;
}

}  // namespace o4o::accounts::user_repo
