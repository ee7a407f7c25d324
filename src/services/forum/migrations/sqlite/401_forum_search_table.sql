-- On PostgreSQL, version 401 moves search into a narrow table of its own. SQLite's search already
-- reads only its FTS5 index (400), so there is nothing to change here; the version is recorded
-- all the same, so that both databases name the same schema steps.
SELECT 1;
