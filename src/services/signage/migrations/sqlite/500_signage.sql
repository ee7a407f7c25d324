-- Digital signage displays. content and schedule are JSON text (validated by the service);
-- token_hash is the SHA-256 of the device token, which is shown once and never stored.
-- open_streams counts the streams held by every instance; it only counts while the lease
-- connected_until (renewed by keep-alives) lies in the future, so a crashed instance cannot
-- leave a display online for ever.
CREATE TABLE signage_displays (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  location TEXT NOT NULL,
  content TEXT,
  schedule TEXT,
  content_version INTEGER NOT NULL DEFAULT 1,
  token_hash TEXT NOT NULL UNIQUE,
  open_streams INTEGER NOT NULL DEFAULT 0,
  connected_until INTEGER,
  last_seen_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
