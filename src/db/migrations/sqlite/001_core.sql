-- Accounts are shared by every service; the auth service owns the logic around them.
CREATE TABLE users (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  email TEXT UNIQUE,                  -- normalised (trimmed, lowercase); NULL once deleted
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'creator', 'user')),
  password_hash TEXT,                 -- NULL once deleted
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);

-- Opaque refresh tokens, stored as SHA-256; a family is every token rotated from one login.
CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  family_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);

-- Idempotency-Key records: state 'pending' while the first request runs, 'done' with its answer.
CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  key TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  status INTEGER,
  response TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, method, path, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
