-- Forum: posts, comments, likes, the double-submit guard and full-text search (FTS5).
CREATE TABLE forum_posts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  author_id TEXT NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  category TEXT NOT NULL,
  pinned INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,
  comment_count INTEGER NOT NULL DEFAULT 0,  -- changed only with a comment row, same transaction
  like_count INTEGER NOT NULL DEFAULT 0,     -- changed only with a like row, same transaction
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX forum_posts_order ON forum_posts(pinned DESC, created_at DESC, seq DESC);
CREATE INDEX forum_posts_author ON forum_posts(author_id, pinned DESC, created_at DESC, seq DESC);
CREATE INDEX forum_posts_category ON forum_posts(category, pinned DESC, created_at DESC, seq DESC);

CREATE TABLE forum_comments (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  post_id TEXT NOT NULL REFERENCES forum_posts(id) ON DELETE CASCADE,
  author_id TEXT NOT NULL REFERENCES users(id),
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX forum_comments_post ON forum_comments(post_id, seq);

-- A like is a row: liking twice is one row.
CREATE TABLE forum_likes (
  post_id TEXT NOT NULL REFERENCES forum_posts(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (post_id, user_id)
);

-- The last post created per (author, hash of title and content): a second identical submission
-- within the window gets that post back. The primary key serialises parallel duplicates.
CREATE TABLE forum_submissions (
  author_id TEXT NOT NULL,
  submit_hash TEXT NOT NULL,
  post_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (author_id, submit_hash)
);
CREATE INDEX forum_submissions_post ON forum_submissions(post_id);

-- Full-text index over title and content, kept in sync by triggers.
CREATE VIRTUAL TABLE forum_posts_fts USING fts5(
  title, content, content='forum_posts', content_rowid='seq', tokenize='unicode61', prefix='2 3');

CREATE TRIGGER forum_posts_fts_insert AFTER INSERT ON forum_posts BEGIN
  INSERT INTO forum_posts_fts(rowid, title, content) VALUES (new.seq, new.title, new.content);
END;

CREATE TRIGGER forum_posts_fts_delete AFTER DELETE ON forum_posts BEGIN
  INSERT INTO forum_posts_fts(forum_posts_fts, rowid, title, content)
  VALUES ('delete', old.seq, old.title, old.content);
END;

CREATE TRIGGER forum_posts_fts_update AFTER UPDATE OF title, content ON forum_posts
WHEN old.title IS NOT new.title OR old.content IS NOT new.content BEGIN
  INSERT INTO forum_posts_fts(forum_posts_fts, rowid, title, content)
  VALUES ('delete', old.seq, old.title, old.content);
  INSERT INTO forum_posts_fts(rowid, title, content) VALUES (new.seq, new.title, new.content);
END;
