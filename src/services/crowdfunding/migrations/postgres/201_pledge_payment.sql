-- Payments: a pledge is unpaid until its payment is taken, and cancelled when still unpaid at
-- pay_by. Pledges from before payments existed count as paid (by a manual payment).
-- A project's status is decided once, at its deadline (decided_status), and kept: unpaid pledges
-- expiring later lower raised but never change it. refunds_queued_at marks a failed or cancelled
-- project whose paid pledges have all been handed to the refunder.
ALTER TABLE cf_pledges ADD COLUMN payment_status TEXT NOT NULL DEFAULT 'paid'
  CHECK (payment_status IN ('unpaid', 'paid', 'refunded'));
ALTER TABLE cf_pledges ADD COLUMN pay_by BIGINT;
CREATE INDEX cf_pledges_pay_by ON cf_pledges(pay_by) WHERE pay_by IS NOT NULL;
CREATE INDEX cf_pledges_paid ON cf_pledges(project_id) WHERE payment_status = 'paid';
ALTER TABLE cf_projects ADD COLUMN decided_status TEXT
  CHECK (decided_status IS NULL OR decided_status IN ('successful', 'failed'));
CREATE INDEX cf_projects_undecided ON cf_projects(deadline) WHERE decided_status IS NULL AND cancelled_at IS NULL;
