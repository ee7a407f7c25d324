-- On PostgreSQL, version 405 adds the category and author to the search rows, as 404 did to SQLite's
-- FTS5 index; there is nothing more to do here. The version is recorded all the same, so that both
-- databases name the same schema steps.
SELECT 1;
