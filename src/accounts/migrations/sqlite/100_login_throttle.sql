-- Failed (and in-flight) login attempts, kept in the database so that every instance counts the
-- same ones. A row is written before the password is checked and removed when it was right.
CREATE TABLE login_attempts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,        -- as tried, trimmed and lowercased (the account need not exist)
  client_ip TEXT NOT NULL,
  attempted_at INTEGER NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts(email, client_ip, attempted_at);
CREATE INDEX login_attempts_ip ON login_attempts(client_ip, attempted_at);
CREATE INDEX login_attempts_time ON login_attempts(attempted_at);

