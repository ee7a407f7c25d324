-- Search reads a narrow table of its own instead of the posts. Ranking a broad query touches every
-- match; with the tsvector beside the title and content each match cost a wide heap row, the table
-- outgrew shared_buffers at 100,000 posts and a 3-letter prefix took a quarter of a second. The
-- search rows hold only (seq, tsvector) and are kept in step by triggers, as FTS5 is on SQLite.
CREATE TABLE forum_post_search (
  seq BIGINT PRIMARY KEY REFERENCES forum_posts(seq) ON DELETE CASCADE,
  search tsvector NOT NULL
);
INSERT INTO forum_post_search (seq, search)
  SELECT seq, to_tsvector('simple', title || ' ' || content) FROM forum_posts;
CREATE INDEX forum_post_search_words ON forum_post_search USING GIN (search);

DROP INDEX forum_posts_search;
ALTER TABLE forum_posts DROP COLUMN search;

CREATE FUNCTION forum_post_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO forum_post_search (seq, search)
    VALUES (NEW.seq, to_tsvector('simple', NEW.title || ' ' || NEW.content))
    ON CONFLICT (seq) DO UPDATE SET search = EXCLUDED.search;
  RETURN NULL;
END
$$;
CREATE TRIGGER forum_post_search_insert AFTER INSERT ON forum_posts
  FOR EACH ROW EXECUTE FUNCTION forum_post_search_sync();
CREATE TRIGGER forum_post_search_update AFTER UPDATE OF title, content ON forum_posts
  FOR EACH ROW EXECUTE FUNCTION forum_post_search_sync();
