-- Accounts II: proven emails, the mail language, mail switches, and when sessions last ended.
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'ko';
ALTER TABLE users ADD COLUMN notify_new_pledges INTEGER NOT NULL DEFAULT 1;  -- a creator's mail on each new pledge
ALTER TABLE users ADD COLUMN notify_paid_orders INTEGER NOT NULL DEFAULT 1;  -- an admin's mail on each paid order
ALTER TABLE users ADD COLUMN sessions_after INTEGER NOT NULL DEFAULT 0;  -- access tokens issued before: 401

-- Email-verification and password-reset tokens, stored only as SHA-256. A verification token
-- proves the address it was sent to (email), only while that is still the user's address.
CREATE TABLE account_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('verify_email', 'password_reset')),
  token_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER                          -- spent, or voided by a newer token of the same kind
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, kind);

-- Verification and forgot-password requests per client address, for the hourly limit.
CREATE TABLE account_requests (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  ip TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX account_requests_ip ON account_requests(ip, at);

-- Requests to become a creator (O4O_CREATOR_APPROVAL=1). status: pending -> approved | rejected.
CREATE TABLE creator_requests (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  decision_reason TEXT,
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX creator_requests_user ON creator_requests(user_id, status);
CREATE INDEX creator_requests_status ON creator_requests(status, seq);
