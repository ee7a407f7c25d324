-- Forum: posts, comments, likes, the double-submit guard and full-text search (tsvector + GIN).
CREATE TABLE forum_posts (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  author_id TEXT NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  category TEXT NOT NULL,
  pinned BOOLEAN NOT NULL DEFAULT FALSE,
  locked BOOLEAN NOT NULL DEFAULT FALSE,
  comment_count BIGINT NOT NULL DEFAULT 0,  -- changed only with a comment row, same transaction
  like_count BIGINT NOT NULL DEFAULT 0,     -- changed only with a like row, same transaction
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  search tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || content)) STORED
);
CREATE INDEX forum_posts_order ON forum_posts(pinned DESC, created_at DESC, seq DESC);
CREATE INDEX forum_posts_author ON forum_posts(author_id, pinned DESC, created_at DESC, seq DESC);
CREATE INDEX forum_posts_category ON forum_posts(category, pinned DESC, created_at DESC, seq DESC);
CREATE INDEX forum_posts_search ON forum_posts USING GIN (search);

CREATE TABLE forum_comments (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  post_id TEXT NOT NULL REFERENCES forum_posts(id) ON DELETE CASCADE,
  author_id TEXT NOT NULL REFERENCES users(id),
  content TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX forum_comments_post ON forum_comments(post_id, seq);

-- A like is a row: liking twice is one row.
CREATE TABLE forum_likes (
  post_id TEXT NOT NULL REFERENCES forum_posts(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (post_id, user_id)
);
CREATE INDEX forum_likes_user ON forum_likes(user_id);

-- The last post created per (author, hash of title and content): a second identical submission
-- within the window gets that post back. The primary key serialises parallel duplicates.
CREATE TABLE forum_submissions (
  author_id TEXT NOT NULL,
  submit_hash TEXT NOT NULL,
  post_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (author_id, submit_hash)
);
CREATE INDEX forum_submissions_post ON forum_submissions(post_id);
