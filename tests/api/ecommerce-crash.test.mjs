// Group commit loses nothing it acknowledged: the server is killed with SIGKILL while 64 clients
// order one hot product; after a restart every order that was answered 201 is there, and the stock
// left is the initial stock minus the units in the stored orders (on the database O4O_TEST_DB names).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { startServer, sqlOn } from './lib/harness.mjs';
import { register, loginAdmin, assertOk } from './lib/fixtures.mjs';

const BASE = '/api/v1/ecommerce';
const CLIENTS = 64;
const INITIAL = 1_000_000;

// A plain keep-alive POST that resolves (never rejects) with the status, or 0 when the connection
// died under it.
function post(agent, port, path, body, token) {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = http.request({
      host: '127.0.0.1', port, path, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${token}` },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      res.on('error', () => resolve({ status: 0 }));
    });
    req.setTimeout(20000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0 }));
    req.end(data);
  });
}

describe('SIGKILL while 64 clients order', () => {
  it('every acknowledged order survives and stock matches the stored orders', async () => {
    const first = await startServer();
    let second;
    try {
      const admin = await loginAdmin(first.api);
      const buyers = await Promise.all(Array.from({ length: 8 }, () => register(first.api)));
      const hot = assertOk(await first.api.post(`${BASE}/products`,
        { name: `Hot ${randomBytes(3).toString('hex')}`, price: 1000, category: 'crash', stock: INITIAL }, { token: admin.token }), 201);
      const side = assertOk(await first.api.post(`${BASE}/products`,
        { name: `Side ${randomBytes(3).toString('hex')}`, price: 500, category: 'crash', stock: INITIAL }, { token: admin.token }), 201);

      const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
      const acknowledged = new Map();  // order id -> hot units
      let dead = false;
      let n = 0;
      let other = 0;
      async function client(c) {
        while (!dead) {
          const k = n++;
          const items = k % 10 === 0 ? [{ productId: side.id, quantity: 1 }, { productId: hot.id, quantity: 1 }]
            : k % 10 === 1 ? [{ productId: hot.id, quantity: 2 }] : [{ productId: hot.id, quantity: 1 }];
          const r = await post(agent, first.port, `${BASE}/orders`, { items }, buyers[c % buyers.length].token);
          if (r.status === 201) {
            const order = JSON.parse(r.body).data;
            acknowledged.set(order.id, order.items.find((i) => i.productId === hot.id).quantity);
          } else if (r.status !== 0) {
            other++;
          }
        }
      }
      const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
      // Let the orders flow, then kill the server in the middle of them.
      await new Promise((r) => setTimeout(r, 1500));
      first.proc.kill('SIGKILL');
      await first.exited;
      dead = true;
      await Promise.all(clients);
      agent.destroy();
      assert.ok(acknowledged.size > 50, `only ${acknowledged.size} orders were acknowledged`);
      assert.equal(other, 0, 'every answer before the kill was 201');

      second = await startServer({ database: first.db, admin: false });
      const stored = new Map();
      for (const line of sqlOn(first.db, `SELECT o.id, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = '${hot.id}'`).trim().split('\n')) {
        if (!line) continue;
        const [id, q] = line.split('|');
        stored.set(id, Number(q));
      }
      for (const [id, units] of acknowledged) {
        assert.equal(stored.get(id), units, `acknowledged order ${id} is missing after the restart`);
      }
      let units = 0;
      for (const q of stored.values()) units += q;
      const after = assertOk(await second.api.get(`${BASE}/products/${hot.id}`));
      assert.equal(after.stock, INITIAL - units, 'stock = initial − units in stored orders');
      assert.ok(stored.size >= acknowledged.size);
    } finally {
      if (second) await second.stop({ keepDatabase: true });
      if (first.proc.exitCode === null && first.proc.signalCode === null) first.proc.kill('SIGKILL');
      first.db.drop();
    }
  });
});
