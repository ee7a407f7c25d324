-- One-character search words (issue 19): a search row also holds '~p<c>' for every character c
-- that one of its words starts with, and a search for a one-character word asks for that lexeme
-- exactly (text_rules.hpp, tsquery_match). As the prefix 'c':*, the GIN index had to find and
-- merge the list of every word starting with c (hundreds of words, most of the posts), and a scan
-- had to test each word of each row: ten one-letter words took 0.2 s per partition in the index
-- alone, against 0.02 s for the ten '~p' lists. SQLite's FTS5 has a one-character prefix index for
-- the same reason (404).
--
-- The lexemes are derived from the row's own lexemes, so '~pc' is there exactly when some lexeme
-- starts with c, as the prefix match asks; like the facets (405) they start with '~', which no
-- search word has, carry no positions (no word moves) and are not given to ts_rank.
CREATE FUNCTION forum_post_search_initials(words tsvector) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(ARRAY(
    SELECT DISTINCT '~p' || left(lexeme, 1) FROM unnest(tsvector_to_array(words)) AS lexeme
    WHERE left(lexeme, 1) <> '~'))
$$;

CREATE OR REPLACE FUNCTION forum_post_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  words tsvector := forum_post_search_vector(NEW.title, NEW.content);
BEGIN
  INSERT INTO forum_post_search (seq, search)
    VALUES (NEW.seq, words || forum_post_search_initials(words)
                     || forum_post_search_facets(NEW.category, NEW.author_id))
    ON CONFLICT (seq) DO UPDATE SET search = EXCLUDED.search;
  RETURN NULL;
END
$$;

UPDATE forum_post_search SET search = search || forum_post_search_initials(search);
