-- Outgoing mail (src/mail): a row written in the same transaction as what caused it, sent by the
-- background sender of one instance at a time (claimed_until), retried with growing pauses for up
-- to 24 h. status: queued -> sent | failed.
CREATE TABLE mail_outbox (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                 -- verify_email, password_reset, order_paid, ...
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
CREATE INDEX mail_outbox_recipient ON mail_outbox(to_address, kind, created_at);
