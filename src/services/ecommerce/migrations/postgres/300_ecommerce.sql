-- Catalogue: products are soft-deleted (deleted_at) so that orders keep pointing at them.
CREATE TABLE products (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  image_url TEXT,
  price BIGINT NOT NULL CHECK (price >= 0),
  category TEXT NOT NULL,
  stock BIGINT NOT NULL CHECK (stock >= 0),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE INDEX products_live_created ON products(created_at, seq) WHERE deleted_at IS NULL;
CREATE INDEX products_live_price ON products(price, seq) WHERE deleted_at IS NULL;
CREATE INDEX products_live_category ON products(category, created_at, seq) WHERE deleted_at IS NULL;

-- Orders: status follows pending -> paid -> shipped -> delivered, pending|paid -> cancelled.
CREATE TABLE orders (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  total BIGINT NOT NULL CHECK (total >= 0),
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  shipping_name TEXT,
  shipping_phone TEXT,
  shipping_address TEXT,
  shipping_postal_code TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX orders_user_created ON orders(user_id, created_at, seq);
CREATE INDEX orders_created ON orders(created_at, seq);

-- Order lines keep the product's name and unit price as they were when the order was placed.
CREATE TABLE order_items (
  order_id TEXT NOT NULL REFERENCES orders(id),
  line_no BIGINT NOT NULL,
  product_id TEXT NOT NULL REFERENCES products(id),
  name TEXT NOT NULL,
  unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
  quantity BIGINT NOT NULL CHECK (quantity >= 1),
  subtotal BIGINT NOT NULL CHECK (subtotal >= 0),
  PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_items_product ON order_items(product_id);
