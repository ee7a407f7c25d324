-- Long-lived tokens for AI assistants (the MCP server): named, scoped read or write, stored only
-- as SHA-256; revoking deletes the row, so the token stops working at once.
CREATE TABLE assistant_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT
);
CREATE INDEX assistant_tokens_user ON assistant_tokens(user_id, created_at);
