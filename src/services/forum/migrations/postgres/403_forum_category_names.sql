-- Display names of a category per language, set by admins (PUT /forum/categories/:slug). The slug
-- stays the key in URLs and posts; a category without a row here shows its slug.
CREATE TABLE forum_category_names (
  category TEXT PRIMARY KEY,
  name_ko TEXT,
  name_en TEXT,
  updated_at BIGINT NOT NULL
);
