-- On PostgreSQL, version 303 checks an order's references at COMMIT, so that the orders of one
-- batch (each in its own savepoint) do not make a MultiXact of the hot product's row. SQLite has
-- no row locks and no subtransaction ids: nothing to do here. The version is recorded all the
-- same, so that both databases name the same schema steps.
SELECT 1;
