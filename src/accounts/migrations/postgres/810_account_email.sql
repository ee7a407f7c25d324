-- Accounts II: proven emails, the mail language, mail switches, and when sessions last ended.
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'ko';
ALTER TABLE users ADD COLUMN notify_new_pledges BOOLEAN NOT NULL DEFAULT TRUE;  -- a creator's mail on each new pledge
ALTER TABLE users ADD COLUMN notify_paid_orders BOOLEAN NOT NULL DEFAULT TRUE;  -- an admin's mail on each paid order
ALTER TABLE users ADD COLUMN sessions_after BIGINT NOT NULL DEFAULT 0;  -- access tokens issued before: 401

-- Email-verification and password-reset tokens, stored only as SHA-256. A verification token
-- proves the address it was sent to (email), only while that is still the user's address.
CREATE TABLE account_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('verify_email', 'password_reset')),
  token_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT                          -- spent, or voided by a newer token of the same kind
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, kind);

-- Verification and forgot-password requests per client address, for the hourly limit.
CREATE TABLE account_requests (
  seq BIGSERIAL PRIMARY KEY,
  ip TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX account_requests_ip ON account_requests(ip, at);

-- Requests to become a creator (O4O_CREATOR_APPROVAL=1). status: pending -> approved | rejected.
CREATE TABLE creator_requests (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  decision_reason TEXT,
  created_at BIGINT NOT NULL,
  decided_at BIGINT
);
CREATE INDEX creator_requests_user ON creator_requests(user_id, status);
CREATE INDEX creator_requests_status ON creator_requests(status, seq);
