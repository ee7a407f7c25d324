-- Crowdfunding: projects with reward tiers, and pledges. Counters (raised, backer_count, claimed)
-- are kept in the same transaction as the pledge rows they summarise.
CREATE TABLE cf_projects (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  creator_id TEXT NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  image_url TEXT,
  goal INTEGER NOT NULL CHECK (goal > 0),
  raised INTEGER NOT NULL DEFAULT 0 CHECK (raised >= 0),
  backer_count INTEGER NOT NULL DEFAULT 0 CHECK (backer_count >= 0),
  pledges_made INTEGER NOT NULL DEFAULT 0,  -- every pledge ever made, cancelled ones included
  deadline INTEGER NOT NULL,
  cancelled_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX cf_projects_creator ON cf_projects(creator_id);
CREATE INDEX cf_projects_created ON cf_projects(created_at, seq);

CREATE TABLE cf_rewards (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL REFERENCES cf_projects(id),
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  min_amount INTEGER NOT NULL CHECK (min_amount > 0),
  reward_limit INTEGER CHECK (reward_limit IS NULL OR reward_limit >= 1),
  claimed INTEGER NOT NULL DEFAULT 0
    CHECK (claimed >= 0 AND (reward_limit IS NULL OR claimed <= reward_limit))
);
CREATE INDEX cf_rewards_project ON cf_rewards(project_id, position);

CREATE TABLE cf_pledges (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL REFERENCES cf_projects(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  reward_id TEXT REFERENCES cf_rewards(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  created_at INTEGER NOT NULL,
  cancelled_at INTEGER
);
CREATE INDEX cf_pledges_project ON cf_pledges(project_id, created_at, seq);
CREATE INDEX cf_pledges_user ON cf_pledges(user_id, created_at, seq);

-- One row per (project, backer): how many of the backer's pledges are live. backer_count moves
-- only when live_pledges goes 0 -> 1 or 1 -> 0.
CREATE TABLE cf_backers (
  project_id TEXT NOT NULL REFERENCES cf_projects(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  live_pledges INTEGER NOT NULL CHECK (live_pledges >= 0),
  PRIMARY KEY (project_id, user_id)
);
