-- Search with ?category= or ?authorId= at 100,000 posts (issue 19). The full-text index is built
-- again with two changes:
--
-- * A third column, facets, holds one token for the post's category and one for its author
--   ('c' and 'a' followed by the hex of the slug or id: one word whatever the characters). A
--   filtered search ANDs them to the words inside the MATCH, so FTS5 intersects the lists itself
--   and skips ahead in the longer one: a filter no longer reads every match's posts row, and a
--   selective filter (one author) drives the search. Words are matched in title and content only
--   (list_sql.cpp), and o4o_rank gives facets the weight 0, so ranking is unchanged.
-- * A prefix index for one-character prefixes too (it had 2 and 3). A one-letter word or one
--   Korean syllable (readers search 서, 맛) had FTS5 merge the lists of every indexed word that
--   starts with it: ten one-letter words took 0.2 s to count before any ranking; now 0.05 s.
--
-- FTS5 cannot change its columns or options in place. Its external content is a view that adds
-- facets to the posts, so that 'rebuild' (here and for an operator) reads what the triggers write.
DROP TRIGGER forum_posts_fts_insert;
DROP TRIGGER forum_posts_fts_delete;
DROP TRIGGER forum_posts_fts_update;
DROP TABLE forum_posts_fts;

CREATE VIEW forum_posts_fts_source AS
  SELECT seq, title, content, 'c' || hex(category) || ' a' || hex(author_id) AS facets
  FROM forum_posts;

CREATE VIRTUAL TABLE forum_posts_fts USING fts5(
  title, content, facets, content='forum_posts_fts_source', content_rowid='seq',
  tokenize='unicode61', prefix='1 2 3');
INSERT INTO forum_posts_fts(forum_posts_fts) VALUES ('rebuild');

CREATE TRIGGER forum_posts_fts_insert AFTER INSERT ON forum_posts BEGIN
  INSERT INTO forum_posts_fts(rowid, title, content, facets)
  VALUES (new.seq, new.title, new.content, 'c' || hex(new.category) || ' a' || hex(new.author_id));
END;

CREATE TRIGGER forum_posts_fts_delete AFTER DELETE ON forum_posts BEGIN
  INSERT INTO forum_posts_fts(forum_posts_fts, rowid, title, content, facets)
  VALUES ('delete', old.seq, old.title, old.content,
          'c' || hex(old.category) || ' a' || hex(old.author_id));
END;

-- The old values are removed exactly as they were indexed, then the new ones added.
CREATE TRIGGER forum_posts_fts_update AFTER UPDATE OF title, content, category, author_id
ON forum_posts
WHEN old.title IS NOT new.title OR old.content IS NOT new.content
  OR old.category IS NOT new.category OR old.author_id IS NOT new.author_id BEGIN
  INSERT INTO forum_posts_fts(forum_posts_fts, rowid, title, content, facets)
  VALUES ('delete', old.seq, old.title, old.content,
          'c' || hex(old.category) || ' a' || hex(old.author_id));
  INSERT INTO forum_posts_fts(rowid, title, content, facets)
  VALUES (new.seq, new.title, new.content, 'c' || hex(new.category) || ' a' || hex(new.author_id));
END;
