-- Media: images and videos users uploaded. The files live under O4O_MEDIA_DIR, named by a random
-- stem (stem.webp, stem-medium.webp, stem-thumb.webp for an image; stem.mp4 or stem.webm for a
-- video); a row exists only once its files are written, and is deleted before its files are.
CREATE TABLE media (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  owner_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('image', 'video')),
  content_type TEXT NOT NULL,
  stem TEXT NOT NULL UNIQUE,
  ext TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  width INTEGER,
  height INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX media_owner ON media(owner_id, created_at);
-- Every upload a user started (kept or refused, deleted later or not): what the hourly limit counts.
CREATE TABLE media_uploads (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX media_uploads_user ON media_uploads(user_id, created_at);
