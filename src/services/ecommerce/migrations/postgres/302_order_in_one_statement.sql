-- A whole order in one statement, for group commit: the service prices the order from the names
-- and prices it last saw for its products, and this takes each line's stock (in the order given:
-- the service's lock order) only while the product is live, has the stock, and still has that
-- name and price; then it stores the order and its lines. A work made of this needs no answer
-- from the database, so a batch of them goes out in one round trip. When a line does not match,
-- it raises serialization_failure: the work's savepoint undoes whatever it did and the work runs
-- again the ordinary way (it reads what the product is now and says why it cannot be ordered).
-- p_lines: [{"line_no", "product_id", "name", "unit_price", "quantity", "subtotal"}, ...].
CREATE FUNCTION o4o_place_order(p_id TEXT, p_user_id TEXT, p_total BIGINT, p_status TEXT,
                                p_shipping_name TEXT, p_shipping_phone TEXT,
                                p_shipping_address TEXT, p_shipping_postal_code TEXT,
                                p_created_at BIGINT, p_updated_at BIGINT, p_pay_by BIGINT,
                                p_lines JSONB)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  l RECORD;
BEGIN
  FOR l IN SELECT x.product_id, x.name, x.unit_price, x.quantity
             FROM ROWS FROM (jsonb_to_recordset(p_lines)
                             AS (product_id TEXT, name TEXT, unit_price BIGINT, quantity BIGINT))
                  WITH ORDINALITY AS x(product_id, name, unit_price, quantity, k)
            ORDER BY x.k
  LOOP
    UPDATE products SET stock = stock - l.quantity, updated_at = p_created_at
     WHERE id = l.product_id AND deleted_at IS NULL AND stock >= l.quantity
       AND price = l.unit_price AND name = l.name;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
        MESSAGE = 'product ' || l.product_id || ' is not as the order was priced';
    END IF;
  END LOOP;
  INSERT INTO orders (id, user_id, total, status, shipping_name, shipping_phone, shipping_address,
                      shipping_postal_code, created_at, updated_at, pay_by)
  VALUES (p_id, p_user_id, p_total, p_status, p_shipping_name, p_shipping_phone,
          p_shipping_address, p_shipping_postal_code, p_created_at, p_updated_at, p_pay_by);
  INSERT INTO order_items (order_id, line_no, product_id, name, unit_price, quantity, subtotal)
  SELECT p_id, x.line_no, x.product_id, x.name, x.unit_price, x.quantity, x.subtotal
    FROM jsonb_to_recordset(p_lines) AS x(line_no BIGINT, product_id TEXT, name TEXT,
                                          unit_price BIGINT, quantity BIGINT, subtotal BIGINT);
END;
$$;
