-- Payments: a new order must be paid by pay_by or it is cancelled (stock returns). Orders from
-- before payments existed have no pay_by and never expire.
ALTER TABLE orders ADD COLUMN pay_by BIGINT;
CREATE INDEX orders_pay_by ON orders(pay_by) WHERE pay_by IS NOT NULL;
