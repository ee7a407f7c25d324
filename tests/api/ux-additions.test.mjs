// Small additions the web app needs (issue 20), on both databases: projects sorted by ?sort=, the
// creator's name on a project, and the admin's order list filtered by the buyer's email.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer } from './lib/harness.mjs';
import { standardAccounts, register, assertOk, assertError } from './lib/fixtures.mjs';

const CF = '/api/v1/crowdfunding';
const SHOP = '/api/v1/ecommerce';
const DAY = 24 * 3600 * 1000;
const inDays = (d) => new Date(Date.now() + d * DAY).toISOString();

let server, api, admin, creator, user, other;

before(async () => {
  server = await startServer();
  api = server.api;
  ({ admin, creator, user, other } = await standardAccounts(api));
});
after(async () => { await server?.stop(); });

describe('projects: ?sort= and creatorName', () => {
  test('every project answer carries the creator\'s name; lists sort by newest, popular or ending', async () => {
    const tag = randomUUID().slice(0, 8);
    const make = async (days) => assertOk(await api.post(`${CF}/projects`, { title: `Sort ${tag} ${days}`, description: tag, goal: 100000, deadline: inDays(days) }, { token: creator.token }), 201);
    const first = await make(30);
    const second = await make(5);
    const third = await make(12);
    assert.equal(first.creatorName, creator.user.name);
    assert.equal(assertOk(await api.get(`${CF}/projects/${first.id}`)).creatorName, creator.user.name);

    // backers: third has two, first one, second none
    const fund = async (project, who, amount) =>
      assertOk(await api.post(`${CF}/projects/${project.id}/fund`, { amount }, { token: who.token, headers: { 'Idempotency-Key': randomUUID() } }), 201);
    await fund(third, user, 1000);
    await fund(third, other, 1000);
    await fund(first, user, 5000);

    const titles = async (sort) => {
      const page = assertOk(await api.get(`${CF}/projects?q=${tag}${sort ? `&sort=${sort}` : ''}`));
      for (const p of page.items) assert.equal(p.creatorName, creator.user.name);
      assert.equal(page.total, 3);
      return page.items.map((p) => p.id);
    };
    assert.deepEqual(await titles(''), [third.id, second.id, first.id]);
    assert.deepEqual(await titles('newest'), [third.id, second.id, first.id]);
    assert.deepEqual(await titles('popular'), [third.id, first.id, second.id]);
    assert.deepEqual(await titles('ending'), [second.id, third.id, first.id]);

    // a cancelled project goes after the active ones when ending soon
    assertOk(await api.post(`${CF}/projects/${second.id}/cancel`, undefined, { token: creator.token }));
    assert.deepEqual(await titles('ending'), [third.id, first.id, second.id]);
    // sort works with the other filters
    const active = assertOk(await api.get(`${CF}/projects?q=${tag}&status=active&sort=popular`));
    assert.deepEqual(active.items.map((p) => p.id), [third.id, first.id]);
  });

  test('an unknown sort is 400', async () => {
    const e = assertError(await api.get(`${CF}/projects?sort=random`), 400, 'VALIDATION_ERROR');
    assert.ok(e.details.some((d) => d.field === 'sort'));
  });

  test('the name follows a rename', async () => {
    const maker = await register(api, { role: 'creator', name: 'Old Name' });
    const p = assertOk(await api.post(`${CF}/projects`, { title: 'Renamed maker', description: '', goal: 100, deadline: inDays(3) }, { token: maker.token }), 201);
    assert.equal(p.creatorName, 'Old Name');
    assertOk(await api.put(`/api/v1/users/${maker.user.id}`, { name: '새 이름' }, { token: maker.token }));
    assert.equal(assertOk(await api.get(`${CF}/projects/${p.id}`)).creatorName, '새 이름');
  });
});

describe('orders: ?email= (admin)', () => {
  test('an admin filters orders by part of the buyer\'s email, case-insensitively, with ?status= too; others are not affected', async () => {
    const product = assertOk(await api.post(`${SHOP}/products`, { name: `Filter cup ${randomUUID().slice(0, 6)}`, price: 1000, category: 'kitchen', stock: 50 }, { token: admin.token }), 201);
    const buyer = await register(api, { email: `Buyer.${randomUUID().slice(0, 8)}@Example.com` });
    const order = async (who) => assertOk(await api.post(`${SHOP}/orders`, { items: [{ productId: product.id, quantity: 1 }] }, { token: who.token, headers: { 'Idempotency-Key': randomUUID() } }), 201);
    const a = await order(buyer);
    const b = await order(buyer);
    await order(user);
    assertOk(await api.post(`${SHOP}/orders/${b.id}/cancel`, undefined, { token: buyer.token }));

    const local = buyer.email.split('@')[0].toUpperCase();
    const mine = assertOk(await api.get(`${SHOP}/orders?email=${encodeURIComponent(local)}`, { token: admin.token }));
    assert.deepEqual(mine.items.map((o) => o.id), [b.id, a.id]);
    assert.equal(mine.total, 2);
    const pending = assertOk(await api.get(`${SHOP}/orders?email=${encodeURIComponent(local)}&status=pending`, { token: admin.token }));
    assert.deepEqual(pending.items.map((o) => o.id), [a.id]);
    // LIKE wildcards are plain text
    const none = assertOk(await api.get(`${SHOP}/orders?email=${encodeURIComponent('%_%')}`, { token: admin.token }));
    assert.equal(none.total, 0);
    // a user's own list ignores the filter
    const own = assertOk(await api.get(`${SHOP}/orders?email=nobody`, { token: buyer.token }));
    assert.equal(own.total, 2);
  });
});
