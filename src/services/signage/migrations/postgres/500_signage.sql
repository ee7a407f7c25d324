-- Digital signage displays. content and schedule are JSON text (validated by the service);
-- token_hash is the SHA-256 of the device token, which is shown once and never stored.
-- open_streams counts the streams held by every instance; it only counts while the lease
-- connected_until (renewed by keep-alives) lies in the future, so a crashed instance cannot
-- leave a display online for ever.
CREATE TABLE signage_displays (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  location TEXT NOT NULL,
  content TEXT,
  schedule TEXT,
  content_version BIGINT NOT NULL DEFAULT 1,
  token_hash TEXT NOT NULL UNIQUE,
  open_streams BIGINT NOT NULL DEFAULT 0,
  connected_until BIGINT,
  last_seen_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
