-- Posts per category, kept by triggers in the transaction that adds, moves or removes a post, so
-- that a list's total and GET /categories read a few rows instead of counting every post (14 ms
-- at 100,000 posts for the total, a full scan for the categories). Each change is one atomic
-- row update, so the counts stay exact under concurrent writers; rows at zero are kept and hidden.
CREATE TABLE forum_category_counts (
  category TEXT PRIMARY KEY,
  posts BIGINT NOT NULL CHECK (posts >= 0)
);
INSERT INTO forum_category_counts (category, posts)
  SELECT category, COUNT(*) FROM forum_posts GROUP BY category;

CREATE FUNCTION forum_category_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE forum_category_counts SET posts = posts - 1 WHERE category = OLD.category;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO forum_category_counts (category, posts) VALUES (NEW.category, 1)
    ON CONFLICT (category) DO UPDATE SET posts = forum_category_counts.posts + 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER forum_category_counts_insert_delete AFTER INSERT OR DELETE ON forum_posts
  FOR EACH ROW EXECUTE FUNCTION forum_category_counts_sync();
CREATE TRIGGER forum_category_counts_move AFTER UPDATE OF category ON forum_posts
  FOR EACH ROW WHEN (OLD.category IS DISTINCT FROM NEW.category)
  EXECUTE FUNCTION forum_category_counts_sync();
