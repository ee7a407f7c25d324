-- An order's references to its buyer and to its products are checked at COMMIT instead of at each
-- insert. Checked at the insert, inside the savepoint group commit gives each order, the check
-- locks the row (FOR KEY SHARE) in that subtransaction, and the next order's subtransaction
-- updating the same hot product (or locking the same buyer) has to make a MultiXact of the two;
-- every later reader of that row version looks its members up. Checked at COMMIT, the
-- transaction locks each row once. Nothing can fail there that would have passed before: products
-- and users are never deleted (products are soft-deleted), an order's product row is the one its
-- own statement just updated, and no id ever changes.
ALTER TABLE order_items ALTER CONSTRAINT order_items_product_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE orders ALTER CONSTRAINT orders_user_id_fkey DEFERRABLE INITIALLY DEFERRED;
