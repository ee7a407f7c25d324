-- On SQLite, version 404 rebuilds the FTS5 index with the category and author as tokens and a
-- one-character prefix index. PostgreSQL filters by joining posts on their primary key, and its GIN
-- index answers a prefix by a range scan of its sorted lexemes, so there is nothing to change
-- here; the version is recorded all the same, so that both databases name the same schema steps.
SELECT 1;
