-- A creator may retire a reward that nobody has claimed (POST /projects/:id/rewards and friends):
-- it leaves the project's list and takes no new pledges, but stays as a row, because cancelled
-- pledges may still point at it.
ALTER TABLE cf_rewards ADD COLUMN retired_at BIGINT;
