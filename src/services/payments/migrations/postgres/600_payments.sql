-- Payments: one row per attempt to take money for an order or a pledge. Exactly once is kept by
-- the database: a provider's payment key belongs to one payment, a target has at most one pending
-- and one paid payment at a time, every change of status is a conditional update, and a webhook
-- event is applied once (payment_events).
CREATE TABLE payments (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  purpose TEXT NOT NULL CHECK (purpose IN ('order', 'pledge')),
  target_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  provider_ref TEXT,  -- the provider's payment key, once the browser brought one back
  amount BIGINT NOT NULL CHECK (amount >= 0),
  refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'refunded', 'failed', 'cancelled')),
  failure_reason TEXT,
  paid_at BIGINT,
  -- When to ask the provider what it holds for this payment (its answer may have been lost, or
  -- it may have taken money for something no longer payable); NULL: nothing to find out.
  reconcile_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX payments_provider_ref ON payments(provider, provider_ref) WHERE provider_ref IS NOT NULL;
CREATE UNIQUE INDEX payments_one_pending ON payments(purpose, target_id) WHERE status = 'pending';
CREATE UNIQUE INDEX payments_one_paid ON payments(purpose, target_id) WHERE status = 'paid';
CREATE INDEX payments_target ON payments(purpose, target_id);
CREATE INDEX payments_created ON payments(created_at, seq);
CREATE INDEX payments_user_created ON payments(user_id, created_at, seq);
CREATE INDEX payments_reconcile ON payments(reconcile_at) WHERE reconcile_at IS NOT NULL;

-- Webhook events already applied, so that a replay has no second effect.
CREATE TABLE payment_events (
  provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  payment_id TEXT,
  type TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (provider, event_id)
);

-- Money to give back. Its id is the idempotency key sent to the provider, so a retry after a
-- timeout or a crash refunds once. At most one refund of a payment is in flight.
CREATE TABLE payment_refunds (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  payment_id TEXT NOT NULL REFERENCES payments(id),
  amount BIGINT NOT NULL CHECK (amount > 0),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  attempts BIGINT NOT NULL DEFAULT 0,
  last_error TEXT,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT,  -- an instance is calling the provider for it until then
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX payment_refunds_one_pending ON payment_refunds(payment_id) WHERE status = 'pending';
CREATE INDEX payment_refunds_due ON payment_refunds(next_attempt_at) WHERE status = 'pending';

-- The simulated provider's own books: what it charged and gave back, as a real provider keeps
-- them on its side (the ledger check compares them with payments), and the webhooks it still
-- has to deliver to the platform.
CREATE TABLE sim_charges (
  payment_key TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  amount BIGINT NOT NULL,
  balance BIGINT NOT NULL CHECK (balance >= 0),
  status TEXT NOT NULL,  -- READY (authorised, not approved), DONE, PARTIAL_CANCELED, CANCELED, ABORTED
  fail_on_confirm BIGINT NOT NULL DEFAULT 0,
  confirm_calls BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- One charge per order id holds money, as Toss allows one payment per orderId.
CREATE UNIQUE INDEX sim_charges_one_live ON sim_charges(order_id) WHERE status IN ('READY', 'DONE', 'PARTIAL_CANCELED');
CREATE TABLE sim_cancels (
  idempotency_key TEXT PRIMARY KEY,
  payment_key TEXT NOT NULL,
  amount BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE sim_webhooks (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT,
  delivered_at BIGINT
);
CREATE INDEX sim_webhooks_due ON sim_webhooks(next_attempt_at) WHERE delivered_at IS NULL;

-- Orders and pledges paid before payments existed count as paid by a manual payment.
INSERT INTO payments (id, purpose, target_id, user_id, provider, amount, currency, status, paid_at, created_at, updated_at)
SELECT gen_random_uuid()::text,
       'order', id, user_id, 'manual', total, '', 'paid', updated_at, updated_at, updated_at
FROM orders WHERE status IN ('paid', 'shipped', 'delivered');
INSERT INTO payments (id, purpose, target_id, user_id, provider, amount, currency, status, paid_at, created_at, updated_at)
SELECT gen_random_uuid()::text,
       'pledge', id, user_id, 'manual', amount, '', 'paid', created_at, created_at, created_at
FROM cf_pledges WHERE cancelled_at IS NULL;
