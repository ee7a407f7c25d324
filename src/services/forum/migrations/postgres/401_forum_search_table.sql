-- Search reads a narrow table of its own instead of the posts. Ranking a broad query touches every
-- match; with the tsvector beside the title and content each match cost a wide heap row, the table
-- outgrew shared_buffers at 100,000 posts and a 3-letter prefix took a quarter of a second. The
-- search rows hold only (seq, tsvector) and are kept in step by triggers, as FTS5 is on SQLite.
-- Title words carry weight A and content words weight D, so that ranking can count a title
-- occurrence double, as SQLite's o4o_rank does (search_postgres.cpp passes the weights).
--
-- The table is split in two by a hash of seq, each half with its own GIN index: when the server
-- has connections to spare it ranks and counts the halves at once (search_postgres.cpp), which
-- halves the wait for a broad query at no extra cost; otherwise one statement reads both.
CREATE TABLE forum_post_search (
  seq BIGINT PRIMARY KEY REFERENCES forum_posts(seq) ON DELETE CASCADE,
  search tsvector NOT NULL
) PARTITION BY HASH (seq);
CREATE TABLE forum_post_search_0 PARTITION OF forum_post_search
  FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE forum_post_search_1 PARTITION OF forum_post_search
  FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE FUNCTION forum_post_search_vector(title TEXT, content TEXT) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', content), 'D')
$$;
INSERT INTO forum_post_search (seq, search)
  SELECT seq, forum_post_search_vector(title, content) FROM forum_posts;
CREATE INDEX forum_post_search_words ON forum_post_search USING GIN (search);

DROP INDEX forum_posts_search;
ALTER TABLE forum_posts DROP COLUMN search;

CREATE FUNCTION forum_post_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO forum_post_search (seq, search)
    VALUES (NEW.seq, forum_post_search_vector(NEW.title, NEW.content))
    ON CONFLICT (seq) DO UPDATE SET search = EXCLUDED.search;
  RETURN NULL;
END
$$;
CREATE TRIGGER forum_post_search_insert AFTER INSERT ON forum_posts
  FOR EACH ROW EXECUTE FUNCTION forum_post_search_sync();
CREATE TRIGGER forum_post_search_update AFTER UPDATE OF title, content ON forum_posts
  FOR EACH ROW EXECUTE FUNCTION forum_post_search_sync();
