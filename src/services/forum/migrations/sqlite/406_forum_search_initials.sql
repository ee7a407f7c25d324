-- On PostgreSQL, version 406 adds a lexeme per initial character to the search rows, for
-- one-character search words; SQLite's FTS5 index has had a one-character prefix index since 404,
-- so there is nothing to do here. The version is recorded all the same, so that both databases
-- name the same schema steps.
SELECT 1;
