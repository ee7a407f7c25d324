-- Search with ?category= or ?authorId= (issue 19), as SQLite's 404 does: the search rows carry the
-- post's category and author as two lexemes, '~c<slug>' and '~a<id>' (no positions; a search word
-- never starts with '~', so no word can match them), and a filtered search ANDs them to the words.
-- A scan then tests the filter before the words, and the GIN index intersects the filter's list
-- with the words', instead of every match being joined to its posts row to read the filter.
-- Ranking is unchanged: ts_rank is given the words alone and does not look at other lexemes.
CREATE FUNCTION forum_post_search_facets(category TEXT, author_id TEXT) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(ARRAY['~c' || category, '~a' || author_id])
$$;

CREATE OR REPLACE FUNCTION forum_post_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO forum_post_search (seq, search)
    VALUES (NEW.seq, forum_post_search_vector(NEW.title, NEW.content)
                     || forum_post_search_facets(NEW.category, NEW.author_id))
    ON CONFLICT (seq) DO UPDATE SET search = EXCLUDED.search;
  RETURN NULL;
END
$$;

DROP TRIGGER forum_post_search_update ON forum_posts;
CREATE TRIGGER forum_post_search_update AFTER UPDATE OF title, content, category, author_id
  ON forum_posts FOR EACH ROW EXECUTE FUNCTION forum_post_search_sync();

-- The facets have no positions, so appending them moves no word.
UPDATE forum_post_search s SET search = s.search || forum_post_search_facets(p.category, p.author_id)
  FROM forum_posts p WHERE p.seq = s.seq;
