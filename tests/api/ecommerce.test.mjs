// E-commerce contract: every row of the /api/v1/ecommerce table, on the database O4O_TEST_DB names.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { startServer } from './lib/harness.mjs';
import { standardAccounts, assertOk, assertError } from './lib/fixtures.mjs';

const BASE = '/api/v1/ecommerce';
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let server;
let api;
let accounts;

const tag = () => randomBytes(4).toString('hex');

async function createProduct(fields = {}) {
  const body = { name: `Product ${tag()}`, description: 'A fine thing', price: 1000, category: `cat-${tag()}`, stock: 10, ...fields };
  return assertOk(await api.post(`${BASE}/products`, body, { token: accounts.admin.token }), 201);
}

async function getProduct(id) {
  return assertOk(await api.get(`${BASE}/products/${id}`));
}

async function placeOrder(account, body, headers = {}) {
  return api.post(`${BASE}/orders`, body, { token: account.token, headers });
}

before(async () => {
  server = await startServer();
  api = server.api;
  accounts = await standardAccounts(api);
});

after(async () => {
  await server?.stop();
});

describe('POST /products', () => {
  it('lets an admin create a product and renders every field', async () => {
    const category = `cat-${tag()}`;
    const r = await api.post(`${BASE}/products`, {
      name: '  유기농 녹차  ', description: 'Jeju green tea', imageUrl: 'https://picsum.photos/seed/tea/600/400',
      price: 12000, category: `  ${category} `, stock: 7, id: 'client-chosen', createdAt: '2000-01-01T00:00:00Z',
    }, { token: accounts.admin.token });
    const p = assertOk(r, 201);
    assert.match(p.id, /^[0-9a-f-]{36}$/);
    assert.equal(p.name, '유기농 녹차');
    assert.equal(p.description, 'Jeju green tea');
    assert.equal(p.imageUrl, 'https://picsum.photos/seed/tea/600/400');
    assert.equal(p.price, 12000);
    assert.equal(p.category, category);
    assert.equal(p.stock, 7);
    assert.match(p.createdAt, TS);
    assert.match(p.updatedAt, TS);
    assert.notEqual(p.createdAt.slice(0, 4), '2000');
    assert.deepEqual(await getProduct(p.id), p);
  });

  it('defaults description to empty and imageUrl to null', async () => {
    const p = await createProduct({ description: undefined });
    assert.equal(p.description, '');
    assert.equal(p.imageUrl, null);
  });

  it('accepts price 0 and the largest safe price', async () => {
    assert.equal((await createProduct({ price: 0 })).price, 0);
    assert.equal((await createProduct({ price: 9007199254740991 })).price, 9007199254740991);
  });

  it('is for admins only', async () => {
    const body = { name: 'x', price: 1, category: 'c', stock: 1 };
    assertError(await api.post(`${BASE}/products`, body), 401, 'UNAUTHORIZED');
    assertError(await api.post(`${BASE}/products`, body, { token: accounts.user.token }), 403, 'FORBIDDEN');
    assertError(await api.post(`${BASE}/products`, body, { token: accounts.creator.token }), 403, 'FORBIDDEN');
  });

  it('validates every field and reports each problem', async () => {
    const r = await api.post(`${BASE}/products`, {
      name: '', description: 'd'.repeat(10001), imageUrl: 'ftp://example.com/x.png', price: -1, category: 'c'.repeat(61), stock: 1.5,
    }, { token: accounts.admin.token });
    const e = assertError(r, 400, 'VALIDATION_ERROR');
    const fields = e.details.map((d) => d.field).sort();
    assert.deepEqual(fields, ['category', 'description', 'imageUrl', 'name', 'price', 'stock']);
  });

  it('refuses missing fields, fractional or unsafe prices and over-long names', async () => {
    const token = accounts.admin.token;
    const ok = { name: 'n', price: 1, category: 'c', stock: 1 };
    for (const bad of [
      { ...ok, name: undefined }, { ...ok, category: undefined }, { ...ok, price: undefined }, { ...ok, stock: undefined },
      { ...ok, price: 10.5 }, { ...ok, price: '100' }, { ...ok, price: 9007199254740992 }, { ...ok, name: 'n'.repeat(201) },
      { ...ok, category: '   ' }, { ...ok, stock: -1 }, { ...ok, imageUrl: 'javascript:alert(1)' },
    ]) {
      assertError(await api.post(`${BASE}/products`, bad, { token }), 400, 'VALIDATION_ERROR');
    }
    assertError(await api.post(`${BASE}/products`, '{"name":', { token, headers: { 'content-type': 'application/json' } }), 400, 'INVALID_JSON');
    assertError(await api.post(`${BASE}/products`, '[1]', { token, headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_ERROR');
    assertError(await api.post(`${BASE}/products`, 'name=x', { token, headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('GET /products/:id', () => {
  it('answers 404 for unknown and malformed ids', async () => {
    assertError(await api.get(`${BASE}/products/${randomUUID()}`), 404, 'NOT_FOUND');
    assertError(await api.get(`${BASE}/products/not-a-uuid`), 404, 'NOT_FOUND');
  });
});

describe('PUT /products/:id', () => {
  it('changes only the fields sent', async () => {
    const p = await createProduct({ imageUrl: 'https://example.com/a.png' });
    const r = await api.put(`${BASE}/products/${p.id}`, { price: 2500, stock: 3 }, { token: accounts.admin.token });
    const u = assertOk(r);
    assert.equal(u.price, 2500);
    assert.equal(u.stock, 3);
    for (const k of ['id', 'name', 'description', 'imageUrl', 'category', 'createdAt']) assert.equal(u[k], p[k], k);
    assert.ok(u.updatedAt >= p.updatedAt);
    assert.deepEqual(await getProduct(p.id), u);
  });

  it('clears imageUrl with null and renames', async () => {
    const p = await createProduct({ imageUrl: 'https://example.com/a.png' });
    const u = assertOk(await api.put(`${BASE}/products/${p.id}`, { imageUrl: null, name: 'Renamed', category: ' other ' }, { token: accounts.admin.token }));
    assert.equal(u.imageUrl, null);
    assert.equal(u.name, 'Renamed');
    assert.equal(u.category, 'other');
  });

  it('validates what is sent and changes nothing on a bad value', async () => {
    const p = await createProduct();
    const token = accounts.admin.token;
    for (const bad of [{ price: -5 }, { name: null }, { name: '' }, { stock: 'many' }, { imageUrl: 'not a url' }, { price: 1, category: '' }]) {
      assertError(await api.put(`${BASE}/products/${p.id}`, bad, { token }), 400, 'VALIDATION_ERROR');
    }
    assert.deepEqual(await getProduct(p.id), p);
  });

  it('is for admins only and 404 for unknown products', async () => {
    const p = await createProduct();
    assertError(await api.put(`${BASE}/products/${p.id}`, { price: 1 }), 401, 'UNAUTHORIZED');
    assertError(await api.put(`${BASE}/products/${p.id}`, { price: 1 }, { token: accounts.user.token }), 403, 'FORBIDDEN');
    assertError(await api.put(`${BASE}/products/${randomUUID()}`, { price: 1 }, { token: accounts.admin.token }), 404, 'NOT_FOUND');
    assertError(await api.put(`${BASE}/products/nope`, { price: 1 }, { token: accounts.admin.token }), 404, 'NOT_FOUND');
    assert.equal((await getProduct(p.id)).price, p.price);
  });
});

describe('DELETE /products/:id', () => {
  it('hides the product but keeps the orders that hold it', async () => {
    const category = `cat-${tag()}`;
    const p = await createProduct({ category, name: 'Soon gone', price: 4200 });
    const order = assertOk(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 2 }] }), 201);

    assertError(await api.del(`${BASE}/products/${p.id}`), 401, 'UNAUTHORIZED');
    assertError(await api.del(`${BASE}/products/${p.id}`, { token: accounts.user.token }), 403, 'FORBIDDEN');
    const r = await api.del(`${BASE}/products/${p.id}`, { token: accounts.admin.token });
    assert.equal(assertOk(r), null);

    assertError(await api.get(`${BASE}/products/${p.id}`), 404, 'NOT_FOUND');
    const list = assertOk(await api.get(`${BASE}/products?category=${category}`));
    assert.equal(list.total, 0);
    assert.deepEqual(list.items, []);
    const cats = assertOk(await api.get(`${BASE}/categories`));
    assert.ok(!cats.some((c) => c.name === category));

    const kept = assertOk(await api.get(`${BASE}/orders/${order.id}`, { token: accounts.user.token }));
    assert.deepEqual(kept.items, [{ productId: p.id, name: 'Soon gone', unitPrice: 4200, quantity: 2, subtotal: 8400 }]);

    assertError(await api.del(`${BASE}/products/${p.id}`, { token: accounts.admin.token }), 404, 'NOT_FOUND');
    assertError(await api.put(`${BASE}/products/${p.id}`, { price: 1 }, { token: accounts.admin.token }), 404, 'NOT_FOUND');
    const e = assertError(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 1 }] }), 400, 'VALIDATION_ERROR');
    assert.equal(e.details[0].field, 'items[0].productId');
  });
});

describe('GET /products', () => {
  let category;
  let made;
  before(async () => {
    category = `list-${tag()}`;
    made = [];
    const specs = [
      { name: 'Green Tea 100% organic', price: 500 },
      { name: 'black tea', price: 900 },
      { name: 'Lamp', price: 700, description: 'Warm TEA-coloured light' },
      { name: 'Mug_large', price: 700 },
      { name: '녹차 라떼', price: 300 },
    ];
    for (const s of specs) made.push(await createProduct({ ...s, category, description: s.description ?? 'plain' }));
  });

  it('pages through matches with total', async () => {
    const first = assertOk(await api.get(`${BASE}/products?category=${category}&limit=2&page=1`));
    assert.equal(first.total, 5);
    assert.equal(first.page, 1);
    assert.equal(first.limit, 2);
    assert.equal(first.items.length, 2);
    const third = assertOk(await api.get(`${BASE}/products?category=${category}&limit=2&page=3`));
    assert.equal(third.items.length, 1);
    const beyond = assertOk(await api.get(`${BASE}/products?category=${category}&limit=2&page=9`));
    assert.deepEqual(beyond.items, []);
    assert.equal(beyond.total, 5);
    const all = assertOk(await api.get(`${BASE}/products`));
    assert.equal(all.limit, 20);
    assert.equal(all.page, 1);
  });

  it('refuses out-of-range paging', async () => {
    for (const q of ['limit=0', 'limit=101', 'page=0', 'page=abc', 'limit=-1']) {
      assertError(await api.get(`${BASE}/products?${q}`), 400, 'VALIDATION_ERROR');
    }
  });

  it('orders newest first by default and by each sort', async () => {
    const ids = (d) => d.items.map((p) => p.id);
    const byDefault = assertOk(await api.get(`${BASE}/products?category=${category}`));
    assert.deepEqual(ids(byDefault), made.map((p) => p.id).reverse());
    const newest = assertOk(await api.get(`${BASE}/products?category=${category}&sort=-createdAt`));
    assert.deepEqual(ids(newest), ids(byDefault));
    const oldest = assertOk(await api.get(`${BASE}/products?category=${category}&sort=createdAt`));
    assert.deepEqual(ids(oldest), made.map((p) => p.id));
    const cheap = assertOk(await api.get(`${BASE}/products?category=${category}&sort=price`));
    // equal prices (Lamp, Mug_large: 700) keep creation order
    assert.deepEqual(ids(cheap), [made[4], made[0], made[2], made[3], made[1]].map((p) => p.id));
    const dear = assertOk(await api.get(`${BASE}/products?category=${category}&sort=-price`));
    assert.deepEqual(ids(dear), [made[1], made[2], made[3], made[0], made[4]].map((p) => p.id));
    assertError(await api.get(`${BASE}/products?sort=name`), 400, 'VALIDATION_ERROR');
    assertError(await api.get(`${BASE}/products?sort=`), 400, 'VALIDATION_ERROR');
  });

  it('searches name and description case-insensitively with literal wildcards', async () => {
    const names = async (q) => assertOk(await api.get(`${BASE}/products?category=${category}&q=${encodeURIComponent(q)}&sort=createdAt`)).items.map((p) => p.name);
    assert.deepEqual(await names('TEA'), ['Green Tea 100% organic', 'black tea', 'Lamp']);
    assert.deepEqual(await names('0%'), ['Green Tea 100% organic']);
    assert.deepEqual(await names('%'), ['Green Tea 100% organic']);
    assert.deepEqual(await names('_'), ['Mug_large']);
    assert.deepEqual(await names('녹차'), ['녹차 라떼']);
    assert.deepEqual(await names('nothing-like-this'), []);
  });

  it('filters by category exactly', async () => {
    const other = assertOk(await api.get(`${BASE}/products?category=${category.toUpperCase()}`));
    assert.equal(other.total, 0);
  });
});

describe('GET /categories', () => {
  it('counts live products per category, ordered by name', async () => {
    const a = `zz-a-${tag()}`;
    const b = `zz-b-${tag()}`;
    await createProduct({ category: b });
    await createProduct({ category: a });
    const gone = await createProduct({ category: a });
    await createProduct({ category: a });
    assertOk(await api.del(`${BASE}/products/${gone.id}`, { token: accounts.admin.token }));
    const cats = assertOk(await api.get(`${BASE}/categories`));
    assert.ok(Array.isArray(cats));
    const names = cats.map((c) => c.name);
    assert.deepEqual(names, [...names].sort((x, y) => (Buffer.from(x) < Buffer.from(y) ? -1 : x === y ? 0 : 1)));
    assert.deepEqual(cats.find((c) => c.name === a), { name: a, count: 2 });
    assert.deepEqual(cats.find((c) => c.name === b), { name: b, count: 1 });
    assert.ok(cats.every((c) => c.count > 0));
  });
});

describe('POST /orders', () => {
  it('prices from the catalogue, merges lines, takes stock and ignores client prices', async () => {
    const tea = await createProduct({ name: 'Tea', price: 1200, stock: 10 });
    const jam = await createProduct({ name: 'Jam', price: 800, stock: 5 });
    const r = await placeOrder(accounts.user, {
      items: [{ productId: jam.id, quantity: 2, unitPrice: 1 }, { productId: tea.id, quantity: 1, subtotal: 0 }, { productId: jam.id, quantity: 1 }],
      total: 5, status: 'delivered', userId: accounts.other.user.id,
      shipping: { name: '홍길동', phone: '010-1234-5678', address: '서울시 중구', postalCode: '04524' },
    });
    const o = assertOk(r, 201);
    assert.match(o.id, /^[0-9a-f-]{36}$/);
    assert.equal(o.userId, accounts.user.user.id);
    assert.equal(o.status, 'pending');
    assert.deepEqual(o.items, [
      { productId: jam.id, name: 'Jam', unitPrice: 800, quantity: 3, subtotal: 2400 },
      { productId: tea.id, name: 'Tea', unitPrice: 1200, quantity: 1, subtotal: 1200 },
    ]);
    assert.equal(o.total, 3600);
    assert.deepEqual(o.shipping, { name: '홍길동', phone: '010-1234-5678', address: '서울시 중구', postalCode: '04524' });
    assert.match(o.createdAt, TS);
    assert.equal(o.updatedAt, o.createdAt);
    assert.equal((await getProduct(jam.id)).stock, 2);
    assert.equal((await getProduct(tea.id)).stock, 9);
    assert.deepEqual(assertOk(await api.get(`${BASE}/orders/${o.id}`, { token: accounts.user.token })), o);
  });

  it('has shipping null when none is given', async () => {
    const p = await createProduct();
    const o = assertOk(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 1 }] }), 201);
    assert.equal(o.shipping, null);
  });

  it('answers 409 OUT_OF_STOCK for every short line and changes nothing', async () => {
    const a = await createProduct({ stock: 1 });
    const b = await createProduct({ stock: 5 });
    const c = await createProduct({ stock: 0 });
    const before = assertOk(await api.get(`${BASE}/orders`, { token: accounts.other.token })).total;
    const r = await placeOrder(accounts.other, { items: [{ productId: b.id, quantity: 5 }, { productId: a.id, quantity: 2 }, { productId: c.id, quantity: 1 }] });
    const e = assertError(r, 409, 'OUT_OF_STOCK');
    const byId = Object.fromEntries(e.details.map((d) => [d.productId, d]));
    assert.equal(e.details.length, 2);
    assert.deepEqual(byId[a.id], { productId: a.id, requested: 2, available: 1 });
    assert.deepEqual(byId[c.id], { productId: c.id, requested: 1, available: 0 });
    assert.equal((await getProduct(a.id)).stock, 1);
    assert.equal((await getProduct(b.id)).stock, 5);
    assert.equal(assertOk(await api.get(`${BASE}/orders`, { token: accounts.other.token })).total, before);
  });

  it('reports merged quantities as requested', async () => {
    const a = await createProduct({ stock: 3 });
    const e = assertError(await placeOrder(accounts.user, { items: [{ productId: a.id, quantity: 2 }, { productId: a.id, quantity: 2 }] }), 409, 'OUT_OF_STOCK');
    assert.deepEqual(e.details, [{ productId: a.id, requested: 4, available: 3 }]);
  });

  it('answers 400 with the line for an unknown product', async () => {
    const a = await createProduct({ stock: 3 });
    const e = assertError(await placeOrder(accounts.user, { items: [{ productId: a.id, quantity: 1 }, { productId: randomUUID(), quantity: 1 }] }), 400, 'VALIDATION_ERROR');
    assert.deepEqual(e.details.map((d) => d.field), ['items[1].productId']);
    assert.equal((await getProduct(a.id)).stock, 3);
  });

  it('validates the body', async () => {
    const a = await createProduct();
    const line = { productId: a.id, quantity: 1 };
    const ship = { name: 'n', phone: 'p', address: 'a', postalCode: '1' };
    const cases = [
      [{}, 'items'], [{ items: [] }, 'items'], [{ items: 'x' }, 'items'],
      [{ items: Array.from({ length: 101 }, () => line) }, 'items'],
      [{ items: [{ productId: a.id, quantity: 0 }] }, 'items[0].quantity'],
      [{ items: [{ productId: a.id, quantity: 1.5 }] }, 'items[0].quantity'],
      [{ items: [{ productId: a.id }] }, 'items[0].quantity'],
      [{ items: [line, { productId: 'nope', quantity: 1 }] }, 'items[1].productId'],
      [{ items: [line, 7] }, 'items[1]'],
      [{ items: [line], shipping: { ...ship, postalCode: undefined } }, 'shipping.postalCode'],
      [{ items: [line], shipping: { ...ship, name: '  ' } }, 'shipping.name'],
      [{ items: [line], shipping: 'home' }, 'shipping'],
    ];
    for (const [body, field] of cases) {
      const e = assertError(await placeOrder(accounts.user, body), 400, 'VALIDATION_ERROR');
      assert.ok(e.details.some((d) => d.field === field), `${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(e.details)}`);
    }
    assert.equal((await getProduct(a.id)).stock, a.stock);
  });

  it('needs a signed-in user', async () => {
    const a = await createProduct();
    assertError(await api.post(`${BASE}/orders`, { items: [{ productId: a.id, quantity: 1 }] }), 401, 'UNAUTHORIZED');
    assertError(await placeOrder({ token: 'not.a.token' }, { items: [{ productId: a.id, quantity: 1 }] }), 401, 'UNAUTHORIZED');
  });

  it('replays a keyed order and refuses the key with another body', async () => {
    const a = await createProduct({ stock: 10 });
    const key = `key-${tag()}`;
    const body = { items: [{ productId: a.id, quantity: 2 }] };
    const first = await placeOrder(accounts.user, body, { 'Idempotency-Key': key });
    const o = assertOk(first, 201);
    const again = await placeOrder(accounts.user, { items: [{ quantity: 2, productId: a.id }] }, { 'Idempotency-Key': key });
    assert.deepEqual(assertOk(again, 201), o);
    assert.equal((await getProduct(a.id)).stock, 8);
    assertError(await placeOrder(accounts.user, { items: [{ productId: a.id, quantity: 3 }] }, { 'Idempotency-Key': key }), 409, 'IDEMPOTENCY_CONFLICT');
    // the key belongs to its user: another user with the same key gets an order of their own
    const theirs = assertOk(await placeOrder(accounts.other, body, { 'Idempotency-Key': key }), 201);
    assert.notEqual(theirs.id, o.id);
    assert.equal((await getProduct(a.id)).stock, 6);
  });

  it('replays a keyed order after the stock it took is gone', async () => {
    const a = await createProduct({ stock: 2 });
    const key = `gone-${tag()}`;
    const body = { items: [{ productId: a.id, quantity: 2 }] };
    const o = assertOk(await placeOrder(accounts.user, body, { 'Idempotency-Key': key }), 201);
    assert.equal((await getProduct(a.id)).stock, 0);
    // the retry finds no stock left, yet it is the same order: replayed, nothing taken twice
    assert.deepEqual(assertOk(await placeOrder(accounts.user, body, { 'Idempotency-Key': key }), 201), o);
    assertError(await placeOrder(accounts.user, { items: [{ productId: a.id, quantity: 1 }] }, { 'Idempotency-Key': key }), 409, 'IDEMPOTENCY_CONFLICT');
    assertError(await placeOrder(accounts.user, body, { 'Idempotency-Key': `${key}-new` }), 409, 'OUT_OF_STOCK');
    assert.equal(assertOk(await api.get(`${BASE}/orders?limit=100`, { token: accounts.user.token })).items.filter((x) => x.id === o.id).length, 1);
    assert.equal((await getProduct(a.id)).stock, 0);
  });
});

describe('POST /orders/quote', () => {
  const quote = (account, body) => api.post(`${BASE}/orders/quote`, body, { token: account.token });
  const orderCount = async (account) => assertOk(await api.get(`${BASE}/orders`, { token: account.token })).total;

  it('answers what placing the same body then gives, and changes nothing', async () => {
    const tea = await createProduct({ name: 'Quoted Tea', price: 1300, stock: 10 });
    const jam = await createProduct({ name: 'Quoted Jam', price: 700, stock: 4 });
    const body = { items: [{ productId: jam.id, quantity: 2, unitPrice: 1 }, { productId: tea.id, quantity: 3 }, { productId: jam.id, quantity: 1 }], total: 1 };
    const before = await orderCount(accounts.user);
    const q = assertOk(await quote(accounts.user, body));
    const config = assertOk(await api.get('/api/v1/config'));
    assert.equal(q.currency, config.currency);
    assert.equal((await getProduct(jam.id)).stock, 4, 'a quote takes no stock');
    assert.equal((await getProduct(tea.id)).stock, 10);
    assert.equal(await orderCount(accounts.user), before, 'a quote stores no order');
    // The same body quoted twice answers the same (nothing changed in between).
    assert.deepEqual(assertOk(await quote(accounts.user, body)), q);
    const o = assertOk(await placeOrder(accounts.user, body), 201);
    assert.deepEqual(q.items, o.items);
    assert.equal(q.total, o.total);
    assert.equal(q.total, o.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0));
    assert.equal((await getProduct(jam.id)).stock, 1);
  });

  it('follows the catalogue: a price change shows in the next quote', async () => {
    const p = await createProduct({ price: 5000, stock: 3 });
    const body = { items: [{ productId: p.id, quantity: 2 }] };
    assert.equal(assertOk(await quote(accounts.user, body)).total, 10000);
    assertOk(await api.put(`${BASE}/products/${p.id}`, { price: 5500 }, { token: accounts.admin.token }));
    assert.equal(assertOk(await quote(accounts.user, body)).total, 11000);
  });

  it('refuses exactly as placing does, and changes nothing either way', async () => {
    const a = await createProduct({ stock: 1 });
    const b = await createProduct({ stock: 5 });
    const gone = await createProduct({ stock: 5 });
    assertOk(await api.del(`${BASE}/products/${gone.id}`, { token: accounts.admin.token }));
    const line = { productId: b.id, quantity: 1 };
    const bodies = [
      { items: [{ productId: b.id, quantity: 5 }, { productId: a.id, quantity: 2 }] },
      { items: [{ productId: a.id, quantity: 1 }, { productId: a.id, quantity: 1 }] },
      { items: [line, { productId: randomUUID(), quantity: 1 }] },
      { items: [line, { productId: gone.id, quantity: 1 }] },
      { items: [{ productId: b.id, quantity: 9007199254740991 }, line] },
      {}, { items: [] }, { items: [{ productId: b.id, quantity: 0 }] },
      { items: Array.from({ length: 101 }, () => line) },
      { items: [line], shipping: 'home' },
    ];
    const before = await orderCount(accounts.other);
    for (const body of bodies) {
      const q = await quote(accounts.other, body);
      const placed = await placeOrder(accounts.other, body);
      assert.ok(q.status >= 400, `${JSON.stringify(body).slice(0, 80)} quoted ${q.status}`);
      assert.equal(q.status, placed.status, JSON.stringify(body).slice(0, 80));
      assert.deepEqual(q.json.error, placed.json.error, JSON.stringify(body).slice(0, 80));
    }
    assert.equal((await getProduct(a.id)).stock, 1);
    assert.equal((await getProduct(b.id)).stock, 5);
    assert.equal(await orderCount(accounts.other), before);
  });

  it('needs a signed-in user', async () => {
    const a = await createProduct();
    assertError(await api.post(`${BASE}/orders/quote`, { items: [{ productId: a.id, quantity: 1 }] }), 401, 'UNAUTHORIZED');
  });
});

describe('GET /orders and GET /orders/:id', () => {
  let buyer;
  let orders;
  let product;
  before(async () => {
    const { register } = await import('./lib/fixtures.mjs');
    buyer = await register(api);
    product = await createProduct({ stock: 100 });
    orders = [];
    for (let i = 0; i < 3; i++) orders.push(assertOk(await placeOrder(buyer, { items: [{ productId: product.id, quantity: i + 1 }] }), 201));
  });

  it('lists the caller\'s own orders newest first, with items', async () => {
    const mine = assertOk(await api.get(`${BASE}/orders`, { token: buyer.token }));
    assert.equal(mine.total, 3);
    assert.deepEqual(mine.items.map((o) => o.id), orders.map((o) => o.id).reverse());
    assert.deepEqual(mine.items[0], orders[2]);
    const paged = assertOk(await api.get(`${BASE}/orders?limit=2&page=2`, { token: buyer.token }));
    assert.deepEqual(paged.items.map((o) => o.id), [orders[0].id]);
    assert.equal(paged.total, 3);
    // a plain user cannot look at someone else's list
    const sneaky = assertOk(await api.get(`${BASE}/orders?userId=${buyer.user.id}`, { token: accounts.other.token }));
    assert.ok(sneaky.items.every((o) => o.userId === accounts.other.user.id));
    assertError(await api.get(`${BASE}/orders`), 401, 'UNAUTHORIZED');
    assertError(await api.get(`${BASE}/orders?limit=500`, { token: buyer.token }), 400, 'VALIDATION_ERROR');
  });

  it('shows admins every order and filters by user', async () => {
    const all = assertOk(await api.get(`${BASE}/orders?limit=100`, { token: accounts.admin.token }));
    assert.ok(all.total >= 3);
    assert.ok(all.items.some((o) => o.userId !== buyer.user.id));
    const filtered = assertOk(await api.get(`${BASE}/orders?userId=${buyer.user.id}`, { token: accounts.admin.token }));
    assert.equal(filtered.total, 3);
    assert.deepEqual(filtered.items.map((o) => o.id), orders.map((o) => o.id).reverse());
  });

  it('shows an order to its owner and admins only', async () => {
    const id = orders[0].id;
    assert.deepEqual(assertOk(await api.get(`${BASE}/orders/${id}`, { token: buyer.token })), orders[0]);
    assert.deepEqual(assertOk(await api.get(`${BASE}/orders/${id}`, { token: accounts.admin.token })), orders[0]);
    assertError(await api.get(`${BASE}/orders/${id}`, { token: accounts.other.token }), 404, 'NOT_FOUND');
    assertError(await api.get(`${BASE}/orders/${id}`), 401, 'UNAUTHORIZED');
    assertError(await api.get(`${BASE}/orders/${randomUUID()}`, { token: buyer.token }), 404, 'NOT_FOUND');
    assertError(await api.get(`${BASE}/orders/xyz`, { token: buyer.token }), 404, 'NOT_FOUND');
  });
});

describe('POST /orders/:id/cancel', () => {
  it('lets the owner cancel a pending order once, returning its stock', async () => {
    const p = await createProduct({ stock: 5 });
    const o = assertOk(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 3 }] }), 201);
    assert.equal((await getProduct(p.id)).stock, 2);
    assertError(await api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: accounts.other.token }), 404, 'NOT_FOUND');
    assertError(await api.post(`${BASE}/orders/${o.id}/cancel`), 401, 'UNAUTHORIZED');
    const c = assertOk(await api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: accounts.user.token }));
    assert.equal(c.status, 'cancelled');
    assert.equal(c.id, o.id);
    assert.deepEqual(c.items, o.items);
    assert.equal((await getProduct(p.id)).stock, 5);
    assertError(await api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: accounts.user.token }), 409, 'INVALID_TRANSITION');
    assertError(await api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: accounts.admin.token }), 409, 'INVALID_TRANSITION');
    assert.equal((await getProduct(p.id)).stock, 5);
    assert.equal(assertOk(await api.get(`${BASE}/orders/${o.id}`, { token: accounts.user.token })).status, 'cancelled');
  });

  it('lets only an admin cancel a paid order, and nobody a shipped one', async () => {
    const p = await createProduct({ stock: 5 });
    const o = assertOk(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 2 }] }), 201);
    assertOk(await api.put(`${BASE}/orders/${o.id}/status`, { status: 'paid' }, { token: accounts.admin.token }));
    assertError(await api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: accounts.user.token }), 409, 'INVALID_TRANSITION');
    assert.equal((await getProduct(p.id)).stock, 3);
    assert.equal(assertOk(await api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: accounts.admin.token })).status, 'cancelled');
    assert.equal((await getProduct(p.id)).stock, 5);

    const s = assertOk(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 1 }] }), 201);
    for (const status of ['paid', 'shipped']) assertOk(await api.put(`${BASE}/orders/${s.id}/status`, { status }, { token: accounts.admin.token }));
    assertError(await api.post(`${BASE}/orders/${s.id}/cancel`, undefined, { token: accounts.admin.token }), 409, 'INVALID_TRANSITION');
    assert.equal((await getProduct(p.id)).stock, 4);
  });

  it('accepts an empty JSON body and 404s unknown orders', async () => {
    assertError(await api.post(`${BASE}/orders/${randomUUID()}/cancel`, undefined, { token: accounts.user.token }), 404, 'NOT_FOUND');
    assertError(await api.post(`${BASE}/orders/bad-id/cancel`, undefined, { token: accounts.admin.token }), 404, 'NOT_FOUND');
  });
});

describe('PUT /orders/:id/status', () => {
  it('moves an order along the arrows for admins', async () => {
    const p = await createProduct({ stock: 5 });
    const o = assertOk(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 1 }] }), 201);
    const token = accounts.admin.token;
    assertError(await api.put(`${BASE}/orders/${o.id}/status`, { status: 'shipped' }, { token }), 409, 'INVALID_TRANSITION');
    assertError(await api.put(`${BASE}/orders/${o.id}/status`, { status: 'pending' }, { token }), 409, 'INVALID_TRANSITION');
    let last = o;
    for (const status of ['paid', 'shipped', 'delivered']) {
      const u = assertOk(await api.put(`${BASE}/orders/${o.id}/status`, { status }, { token }));
      assert.equal(u.status, status);
      assert.deepEqual(u.items, o.items);
      assert.ok(u.updatedAt >= last.updatedAt);
      last = u;
    }
    for (const status of ['cancelled', 'paid', 'delivered']) {
      assertError(await api.put(`${BASE}/orders/${o.id}/status`, { status }, { token }), 409, 'INVALID_TRANSITION');
    }
    assert.equal((await getProduct(p.id)).stock, 4);
    assert.equal(assertOk(await api.get(`${BASE}/orders/${o.id}`, { token: accounts.user.token })).status, 'delivered');
  });

  it('returns stock when an admin sets cancelled', async () => {
    const p = await createProduct({ stock: 5 });
    const o = assertOk(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 4 }] }), 201);
    assert.equal(assertOk(await api.put(`${BASE}/orders/${o.id}/status`, { status: 'cancelled' }, { token: accounts.admin.token })).status, 'cancelled');
    assert.equal((await getProduct(p.id)).stock, 5);
  });

  it('is for admins only and validates the status', async () => {
    const p = await createProduct({ stock: 5 });
    const o = assertOk(await placeOrder(accounts.user, { items: [{ productId: p.id, quantity: 1 }] }), 201);
    assertError(await api.put(`${BASE}/orders/${o.id}/status`, { status: 'paid' }), 401, 'UNAUTHORIZED');
    assertError(await api.put(`${BASE}/orders/${o.id}/status`, { status: 'paid' }, { token: accounts.user.token }), 403, 'FORBIDDEN');
    assertError(await api.put(`${BASE}/orders/${o.id}/status`, { status: 'lost' }, { token: accounts.admin.token }), 400, 'VALIDATION_ERROR');
    assertError(await api.put(`${BASE}/orders/${o.id}/status`, {}, { token: accounts.admin.token }), 400, 'VALIDATION_ERROR');
    assertError(await api.put(`${BASE}/orders/${randomUUID()}/status`, { status: 'paid' }, { token: accounts.admin.token }), 404, 'NOT_FOUND');
    assert.equal(assertOk(await api.get(`${BASE}/orders/${o.id}`, { token: accounts.user.token })).status, 'pending');
  });
});
