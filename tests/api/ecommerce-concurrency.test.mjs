// E-commerce under contention: no overselling, all-or-nothing orders, one winner per transition,
// and Idempotency-Key under parallel duplicates — on the database O4O_TEST_DB names.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, sqlOn } from './lib/harness.mjs';
import { register, loginAdmin, assertOk, assertError } from './lib/fixtures.mjs';

const BASE = '/api/v1/ecommerce';

let server;
let api;
let admin;
let buyers;

async function createProduct(fields) {
  const body = { name: `P ${randomBytes(3).toString('hex')}`, price: 1000, category: 'contention', ...fields };
  return assertOk(await api.post(`${BASE}/products`, body, { token: admin.token }), 201);
}

async function stockOf(id) {
  return assertOk(await api.get(`${BASE}/products/${id}`)).stock;
}

// Every order of the server, through the admin list.
async function allOrders() {
  const out = [];
  for (let page = 1; ; page++) {
    const d = assertOk(await api.get(`${BASE}/orders?limit=100&page=${page}`, { token: admin.token }));
    out.push(...d.items);
    if (out.length >= d.total || d.items.length === 0) return out;
  }
}

function unitsOf(orders, productId) {
  let n = 0;
  for (const o of orders) {
    if (o.status === 'cancelled') continue;
    for (const i of o.items) if (i.productId === productId) n += i.quantity;
  }
  return n;
}

before(async () => {
  server = await startServer();
  api = server.api;
  admin = await loginAdmin(api);
  buyers = await Promise.all([register(api), register(api), register(api), register(api)]);
});

after(async () => {
  await server?.stop();
});

describe('ordering under contention', () => {
  it('400 parallel orders for 100 units sell exactly 100 and every 409 changes nothing', async () => {
    const hot = await createProduct({ name: 'Hot item', stock: 100, price: 700 });
    const side = await createProduct({ name: 'Side item', stock: 1000, price: 300 });
    const extra = await createProduct({ name: 'Extra item', stock: 1000, price: 50 });

    // 300 orders of one unit, 50 of two, 50 multi-product orders that also need one hot unit.
    const bodies = [];
    for (let i = 0; i < 300; i++) bodies.push({ items: [{ productId: hot.id, quantity: 1 }] });
    for (let i = 0; i < 50; i++) bodies.push({ items: [{ productId: hot.id, quantity: 2 }] });
    for (let i = 0; i < 50; i++) {
      const lines = [{ productId: side.id, quantity: 2 }, { productId: hot.id, quantity: 1 }, { productId: extra.id, quantity: 1 }];
      bodies.push({ items: i % 2 ? lines : lines.reverse() });
    }
    bodies.sort(() => Math.random() - 0.5);

    const results = await Promise.all(bodies.map((body, i) => api.post(`${BASE}/orders`, body, { token: buyers[i % buyers.length].token, timeout: 60000 })));

    let created = 0;
    let sideSold = 0;
    let extraSold = 0;
    let hotSold = 0;
    for (const r of results) {
      if (r.status === 201) {
        created++;
        for (const item of r.data.items) {
          if (item.productId === side.id) sideSold += item.quantity;
          if (item.productId === extra.id) extraSold += item.quantity;
          if (item.productId === hot.id) hotSold += item.quantity;
        }
        assert.equal(r.data.total, r.data.items.reduce((s, i) => s + i.unitPrice * i.quantity, 0));
      } else {
        const e = assertError(r, 409, 'OUT_OF_STOCK');
        assert.ok(e.details.length >= 1);
        assert.ok(e.details.every((d) => d.productId === hot.id && d.available < d.requested), JSON.stringify(e.details));
      }
    }
    assert.ok(created > 0);
    assert.equal(hotSold, 100, 'units sold in 201 answers');
    assert.equal(await stockOf(hot.id), 0);
    // side and extra lose exactly what successful orders took: failed multi-product orders took nothing
    assert.equal(await stockOf(side.id), 1000 - sideSold);
    assert.equal(await stockOf(extra.id), 1000 - extraSold);

    const orders = await allOrders();
    assert.equal(orders.filter((o) => o.items.some((i) => i.productId === hot.id)).length, created);
    assert.equal(unitsOf(orders, hot.id), 100);
    assert.equal(unitsOf(orders, side.id), sideSold);
    assert.equal(unitsOf(orders, extra.id), extraSold);
  });

  // Orders are placed at the name and price the server last saw, checked in the order's own
  // statement: after an edit, every order (keyed ones retried too) still has what the product is.
  it('orders in parallel with edits of the name and price record what the product was when its stock was taken', async () => {
    const p = await createProduct({ name: 'Lamp', stock: 1000, price: 100 });
    const order = (key, quantity = 1) => api.post(`${BASE}/orders`, { items: [{ productId: p.id, quantity }] },
      { token: buyers[key.length % buyers.length].token, headers: { 'Idempotency-Key': key }, timeout: 60000 });
    assert.equal(assertOk(await order(`warm-${randomBytes(4).toString('hex')}`), 201).items[0].unitPrice, 100);
    assertOk(await api.put(`${BASE}/products/${p.id}`, { price: 250, name: 'Lamp II' }, { token: admin.token }));
    const keys = Array.from({ length: 40 }, (_, i) => `edit-${i}-${randomBytes(4).toString('hex')}`);
    const first = await Promise.all(keys.map((k, i) => order(k, 1 + (i % 2))));
    const again = await Promise.all(keys.map((k, i) => order(k, 1 + (i % 2))));
    let units = 0;
    for (const [i, r] of first.entries()) {
      const o = assertOk(r, 201);
      assert.deepEqual([o.items[0].name, o.items[0].unitPrice, o.total], ['Lamp II', 250, 250 * o.items[0].quantity]);
      units += o.items[0].quantity;
      assert.deepEqual(assertOk(again[i], 201), o, 'a retried key replays its order');
    }
    const stored = await allOrders();
    for (const o of first) assert.deepEqual(stored.find((s) => s.id === o.data.id).items, o.data.items);
    assert.equal(await stockOf(p.id), 1000 - 1 - units);

    // The stock runs out in the middle of a storm: exactly what was left is sold.
    assertOk(await api.put(`${BASE}/products/${p.id}`, { stock: 5 }, { token: admin.token }));
    const storm = await Promise.all(Array.from({ length: 20 }, (_, i) => order(`out-${i}-${randomBytes(4).toString('hex')}`)));
    assert.equal(storm.filter((r) => r.status === 201).length, 5);
    for (const r of storm) if (r.status !== 201) assertError(r, 409, 'OUT_OF_STOCK');
    assert.equal(await stockOf(p.id), 0);
  });

  it('two products ordered in opposite orders by many clients never deadlock', async () => {
    const a = await createProduct({ stock: 60 });
    const b = await createProduct({ stock: 60 });
    const bodies = Array.from({ length: 80 }, (_, i) => ({
      items: i % 2 ? [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 1 }] : [{ productId: b.id, quantity: 1 }, { productId: a.id, quantity: 1 }],
    }));
    const results = await Promise.all(bodies.map((body, i) => api.post(`${BASE}/orders`, body, { token: buyers[i % buyers.length].token, timeout: 60000 })));
    const ok = results.filter((r) => r.status === 201).length;
    for (const r of results) if (r.status !== 201) assertError(r, 409, 'OUT_OF_STOCK');
    assert.equal(ok, 60);
    assert.equal(await stockOf(a.id), 0);
    assert.equal(await stockOf(b.id), 0);
  });
});

describe('cancelling under contention', () => {
  it('orders racing cancellations keep stock + units in live orders equal to the start', async () => {
    const p = await createProduct({ stock: 30 });
    const placed = [];
    for (let i = 0; i < 20; i++) {
      placed.push(assertOk(await api.post(`${BASE}/orders`, { items: [{ productId: p.id, quantity: 1 }] }, { token: buyers[i % buyers.length].token }), 201));
    }
    assert.equal(await stockOf(p.id), 10);
    const cancels = placed.map((o, i) => api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: buyers[i % buyers.length].token, timeout: 60000 }));
    const orders = Array.from({ length: 60 }, (_, i) => api.post(`${BASE}/orders`, { items: [{ productId: p.id, quantity: 1 }] }, { token: buyers[i % buyers.length].token, timeout: 60000 }));
    const [cancelled, ordered] = await Promise.all([Promise.all(cancels), Promise.all(orders)]);
    for (const r of cancelled) assertOk(r);
    let sold = 0;
    for (const r of ordered) {
      if (r.status === 201) sold++;
      else {
        const e = assertError(r, 409, 'OUT_OF_STOCK');
        assert.ok(e.details.every((d) => d.available < d.requested), JSON.stringify(e.details));
      }
    }
    const left = await stockOf(p.id);
    assert.ok(left >= 0);
    assert.equal(left + sold, 30);
    assert.equal(unitsOf(await allOrders(), p.id), sold);
  });

  it('ten parallel cancels of one order return its stock once', async () => {
    const p = await createProduct({ stock: 20 });
    const buyer = buyers[0];
    const o = assertOk(await api.post(`${BASE}/orders`, { items: [{ productId: p.id, quantity: 5 }] }, { token: buyer.token }), 201);
    assert.equal(await stockOf(p.id), 15);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: i % 2 ? admin.token : buyer.token })));
    const wins = results.filter((r) => r.status === 200);
    assert.equal(wins.length, 1, results.map((r) => r.status).join(','));
    assert.equal(wins[0].data.status, 'cancelled');
    for (const r of results) if (r.status !== 200) assertError(r, 409, 'INVALID_TRANSITION');
    assert.equal(await stockOf(p.id), 20);
  });

  it('a cancel racing a status change has one winner', async () => {
    const p = await createProduct({ stock: 10 });
    const buyer = buyers[1];
    for (let round = 0; round < 5; round++) {
      const o = assertOk(await api.post(`${BASE}/orders`, { items: [{ productId: p.id, quantity: 2 }] }, { token: buyer.token }), 201);
      const [cancel, pay] = await Promise.all([
        api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: buyer.token }),
        api.put(`${BASE}/orders/${o.id}/status`, { status: 'paid' }, { token: admin.token }),
      ]);
      const final = assertOk(await api.get(`${BASE}/orders/${o.id}`, { token: buyer.token }));
      if (cancel.status === 200) {
        assertError(pay, 409, 'INVALID_TRANSITION');
        assert.equal(final.status, 'cancelled');
      } else {
        assertError(cancel, 409, 'INVALID_TRANSITION');
        assert.equal(pay.status, 200);
        assert.equal(final.status, 'paid');
        assertOk(await api.post(`${BASE}/orders/${o.id}/cancel`, undefined, { token: admin.token }));
      }
      assert.equal(await stockOf(p.id), 10);
    }
  });
});

describe('Idempotency-Key under parallel duplicates', () => {
  it('twenty parallel keyed orders make one order', async () => {
    const p = await createProduct({ stock: 50 });
    const buyer = buyers[2];
    const before = assertOk(await api.get(`${BASE}/orders`, { token: buyer.token })).total;
    const key = `order-${randomBytes(6).toString('hex')}`;
    const body = { items: [{ productId: p.id, quantity: 3 }], shipping: { name: 'Kim', phone: '010', address: 'Seoul', postalCode: '01234' } };
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      api.post(`${BASE}/orders`, body, { token: buyer.token, headers: { 'Idempotency-Key': key }, timeout: 60000 })));
    const ids = new Set(results.map((r) => assertOk(r, 201).id));
    assert.equal(ids.size, 1);
    for (const r of results) assert.deepEqual(r.data, results[0].data);
    assert.equal(await stockOf(p.id), 47);
    assert.equal(assertOk(await api.get(`${BASE}/orders`, { token: buyer.token })).total, before + 1);

    const conflict = await api.post(`${BASE}/orders`, { ...body, items: [{ productId: p.id, quantity: 4 }] },
      { token: buyer.token, headers: { 'Idempotency-Key': key } });
    assertError(conflict, 409, 'IDEMPOTENCY_CONFLICT');
    assert.equal(await stockOf(p.id), 47);
  });

  // Duplicates wait for the first without holding a worker: the SQLite server has two, so two
  // sleeping duplicates would stall every other request until they gave up.
  it('duplicates waiting for a slow first request hold up no other request', async () => {
    const p = await createProduct({ stock: 10 });
    const buyer = buyers[1];
    const key = `slow-${randomBytes(6).toString('hex')}`;
    const body = { items: [{ productId: p.id, quantity: 1 }] };
    const first = assertOk(await api.post(`${BASE}/orders`, body, { token: buyer.token, headers: { 'Idempotency-Key': key } }), 201);
    // The first request is back to "still running", as if its transaction had not committed yet.
    const where = `WHERE key = '${key}'`;
    sqlOn(server.db, `UPDATE idempotency_keys SET state = 'pending', created_at = ${Date.now()} ${where}`);
    const waiting = Array.from({ length: 24 }, () =>
      api.post(`${BASE}/orders`, body, { token: buyer.token, headers: { 'Idempotency-Key': key }, timeout: 60000 }));
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    assert.equal(await stockOf(p.id), 9);
    assert.ok(Date.now() - started < 5000, `a product read took ${Date.now() - started} ms behind the waiting duplicates`);
    // The first request finishes: every duplicate gets its answer, and nothing was done twice.
    sqlOn(server.db, `UPDATE idempotency_keys SET state = 'done' ${where}`);
    for (const r of await Promise.all(waiting)) {
      assert.equal(assertOk(r, 201).id, first.id);
      assert.equal(r.headers.get('idempotent-replayed'), 'true');
    }
    assert.equal(await stockOf(p.id), 9);
  });

  it('a keyed order that failed runs again when retried', async () => {
    const p = await createProduct({ stock: 1 });
    const buyer = buyers[3];
    const key = `retry-${randomBytes(6).toString('hex')}`;
    const body = { items: [{ productId: p.id, quantity: 2 }] };
    assertError(await api.post(`${BASE}/orders`, body, { token: buyer.token, headers: { 'Idempotency-Key': key } }), 409, 'OUT_OF_STOCK');
    assertOk(await api.put(`${BASE}/products/${p.id}`, { stock: 2 }, { token: admin.token }));
    const o = assertOk(await api.post(`${BASE}/orders`, body, { token: buyer.token, headers: { 'Idempotency-Key': key } }), 201);
    assert.equal(o.items[0].quantity, 2);
    assert.equal(await stockOf(p.id), 0);
  });
});
