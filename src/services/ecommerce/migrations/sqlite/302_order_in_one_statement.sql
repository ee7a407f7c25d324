-- On PostgreSQL, version 302 adds o4o_place_order, so that an order is one statement that needs no
-- answer and a batch of orders goes out in one round trip. SQLite runs in the server's process
-- (no round trips): an order there is the service's conditional UPDATE per line, as before, and
-- there is nothing to do here. The version is recorded all the same, so that both databases name
-- the same schema steps.
SELECT 1;
