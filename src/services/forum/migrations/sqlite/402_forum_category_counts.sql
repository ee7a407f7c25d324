-- Posts per category, kept by triggers in the transaction that adds, moves or removes a post, so
-- that a list's total and GET /categories read a few rows instead of counting every post. Rows at
-- zero are kept and hidden.
CREATE TABLE forum_category_counts (
  category TEXT PRIMARY KEY,
  posts INTEGER NOT NULL CHECK (posts >= 0)
);
INSERT INTO forum_category_counts (category, posts)
  SELECT category, COUNT(*) FROM forum_posts GROUP BY category;

CREATE TRIGGER forum_category_counts_insert AFTER INSERT ON forum_posts BEGIN
  INSERT INTO forum_category_counts (category, posts) VALUES (new.category, 1)
  ON CONFLICT (category) DO UPDATE SET posts = posts + 1;
END;

CREATE TRIGGER forum_category_counts_delete AFTER DELETE ON forum_posts BEGIN
  UPDATE forum_category_counts SET posts = posts - 1 WHERE category = old.category;
END;

CREATE TRIGGER forum_category_counts_move AFTER UPDATE OF category ON forum_posts
WHEN old.category IS NOT new.category BEGIN
  UPDATE forum_category_counts SET posts = posts - 1 WHERE category = old.category;
  INSERT INTO forum_category_counts (category, posts) VALUES (new.category, 1)
  ON CONFLICT (category) DO UPDATE SET posts = posts + 1;
END;
