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

describe('rewards after launch: add, edit, retire (issue 20)', () => {
  const R = (p, r = '') => `${CF}/projects/${p}/rewards${r ? `/${r}` : ''}`;
  const newProject = async (rewards) => assertOk(await api.post(`${CF}/projects`, { title: `Rewards ${randomUUID().slice(0, 8)}`, description: 'r', goal: 100000, deadline: inDays(20), rewards }, { token: creator.token }), 201);

  test('the owner or an admin adds a reward at the end; others are refused; the body is checked', async () => {
    const p = await newProject([{ title: 'Sticker', minAmount: 5000 }]);
    const body = { title: 'Poster', description: 'A2, signed', minAmount: 20000, limit: 10 };
    assertError(await api.post(R(p.id), body), 401, 'UNAUTHORIZED');
    assertError(await api.post(R(p.id), body, { token: user.token }), 403, 'FORBIDDEN');
    assertError(await api.post(R(randomUUID()), body, { token: creator.token }), 404, 'NOT_FOUND');
    for (const bad of [{}, { title: 'x', minAmount: 0 }, { title: '', minAmount: 10 }, { title: 'x', minAmount: 10, limit: 0 }, { title: 'x', minAmount: 1.5 }]) {
      assertError(await api.post(R(p.id), bad, { token: creator.token }), 400, 'VALIDATION_ERROR');
    }
    const added = assertOk(await api.post(R(p.id), body, { token: creator.token }), 201);
    assert.equal(added.id, p.id);
    assert.deepEqual(added.rewards.map((r) => [r.title, r.description, r.minAmount, r.limit, r.claimed]), [['Sticker', '', 5000, null, 0], ['Poster', 'A2, signed', 20000, 10, 0]]);
    const byAdmin = assertOk(await api.post(R(p.id), { title: 'Mug', minAmount: 15000 }, { token: admin.token }), 201);
    assert.deepEqual(byAdmin.rewards.map((r) => r.title), ['Sticker', 'Poster', 'Mug']);
    assert.deepEqual(assertOk(await api.get(`${CF}/projects/${p.id}`)).rewards, byAdmin.rewards);
  });

  test('edits keep what backers chose: a claimed reward keeps its minimum and its limit stays at or above its claims', async () => {
    const p = await newProject([{ title: 'Early bird', minAmount: 10000, limit: 3 }, { title: 'Thanks', minAmount: 1000 }]);
    const [early, thanks] = p.rewards;
    // unclaimed: everything may change, and null lifts the limit
    let got = assertOk(await api.put(R(p.id, thanks.id), { title: 'Big thanks', description: 'a card', minAmount: 2000, limit: 5 }, { token: creator.token }));
    assert.deepEqual(got.rewards[1], { ...thanks, title: 'Big thanks', description: 'a card', minAmount: 2000, limit: 5 });
    got = assertOk(await api.put(R(p.id, thanks.id), { limit: null }, { token: creator.token }));
    assert.equal(got.rewards[1].limit, null);
    assert.equal(got.rewards[1].minAmount, 2000, 'fields left out stay');

    assertOk(await api.post(`${CF}/projects/${p.id}/fund`, { amount: 10000, rewardId: early.id }, { token: user.token }), 201);
    assertOk(await api.post(`${CF}/projects/${p.id}/fund`, { amount: 12000, rewardId: early.id }, { token: other.token }), 201);
    assertError(await api.put(R(p.id, early.id), { minAmount: 8000 }, { token: creator.token }), 409, 'CONFLICT');
    assertError(await api.put(R(p.id, early.id), { limit: 1 }, { token: creator.token }), 409, 'CONFLICT');
    got = assertOk(await api.put(R(p.id, early.id), { title: 'Early bird (sold fast)', minAmount: 10000, limit: 2 }, { token: creator.token }));
    assert.deepEqual([got.rewards[0].title, got.rewards[0].minAmount, got.rewards[0].limit, got.rewards[0].claimed], ['Early bird (sold fast)', 10000, 2, 2]);
    assertError(await api.post(`${CF}/projects/${p.id}/fund`, { amount: 10000, rewardId: early.id }, { token: admin.token }), 409, 'REWARD_UNAVAILABLE');

    assertError(await api.put(R(p.id, early.id), { title: 'x' }, { token: user.token }), 403, 'FORBIDDEN');
    assertError(await api.put(R(p.id, randomUUID()), { title: 'x' }, { token: creator.token }), 404, 'NOT_FOUND');
    assertError(await api.put(R(p.id, 'not-an-id'), { title: 'x' }, { token: creator.token }), 404, 'NOT_FOUND');
    const elsewhere = await newProject([{ title: 'Other', minAmount: 1000 }]);
    assertError(await api.put(R(p.id, elsewhere.rewards[0].id), { title: 'x' }, { token: creator.token }), 404, 'NOT_FOUND');
    assertError(await api.put(R(p.id, thanks.id), { minAmount: -1 }, { token: creator.token }), 400, 'VALIDATION_ERROR');
  });

  test('a reward nobody claims can be retired: it leaves the list and takes no pledges; a claimed one cannot', async () => {
    const p = await newProject([{ title: 'A', minAmount: 1000 }, { title: 'B', minAmount: 1000 }, { title: 'C', minAmount: 1000 }]);
    const [a, b, c] = p.rewards;
    const pledge = assertOk(await api.post(`${CF}/projects/${p.id}/fund`, { amount: 1000, rewardId: a.id }, { token: user.token }), 201).pledge;
    assertError(await api.del(R(p.id, a.id), { token: creator.token }), 409, 'CONFLICT');
    assertError(await api.del(R(p.id, b.id), { token: user.token }), 403, 'FORBIDDEN');
    assert.equal(assertOk(await api.del(R(p.id, b.id), { token: creator.token })), null);
    let got = assertOk(await api.get(`${CF}/projects/${p.id}`));
    assert.deepEqual(got.rewards.map((r) => r.title), ['A', 'C']);
    assertError(await api.post(`${CF}/projects/${p.id}/fund`, { amount: 1000, rewardId: b.id }, { token: other.token }), 409, 'REWARD_UNAVAILABLE');
    assertError(await api.del(R(p.id, b.id), { token: creator.token }), 404, 'NOT_FOUND');
    assertError(await api.put(R(p.id, b.id), { title: 'back' }, { token: creator.token }), 404, 'NOT_FOUND');

    // once its only pledge is cancelled, nobody claims A: it can go; a new reward comes after the rest
    assertOk(await api.post(`${CF}/pledges/${pledge.id}/cancel`, {}, { token: user.token }));
    assert.equal(assertOk(await api.del(R(p.id, a.id), { token: admin.token })), null);
    got = assertOk(await api.post(R(p.id), { title: 'D', minAmount: 500 }, { token: creator.token }), 201);
    assert.deepEqual(got.rewards.map((r) => r.title), ['C', 'D']);
    // the backer's cancelled pledge keeps the reward it named
    const mine = assertOk(await api.get(`${CF}/pledges`, { token: user.token })).items.find((x) => x.id === pledge.id);
    assert.equal(mine.rewardId, a.id);
    assert.ok(c.id);
  });

  test('retiring races pledges: either the reward was retired before every pledge, or it stays with its claims', async () => {
    for (let round = 0; round < 3; round++) {
      const p = await newProject([{ title: 'Raced', minAmount: 1000 }]);
      const rid = p.rewards[0].id;
      const backers = await Promise.all([0, 1, 2, 3].map((i) => register(api, { name: `Racer ${round}.${i}` })));
      const answers = await Promise.all([
        ...backers.map((b) => api.post(`${CF}/projects/${p.id}/fund`, { amount: 1000, rewardId: rid }, { token: b.token })),
        api.del(R(p.id, rid), { token: creator.token }),
      ]);
      const pledged = answers.slice(0, -1).filter((r) => r.status === 201).length;
      const retired = answers.at(-1).status === 200;
      for (const r of answers.slice(0, -1)) assert.ok([201, 409].includes(r.status), `pledge answered ${r.status}`);
      const got = assertOk(await api.get(`${CF}/projects/${p.id}`));
      if (retired) {
        assert.deepEqual(got.rewards, []);
        assert.equal(pledged, 0, 'no pledge claims a retired reward');
      } else {
        assert.equal(answers.at(-1).status, 409);
        assert.equal(got.rewards[0].claimed, pledged);
        assert.ok(pledged > 0);
      }
      assert.equal(got.backerCount, pledged);
    }
  });

  test('rewards change only while the project is active', async () => {
    const p = await newProject([{ title: 'Only', minAmount: 1000 }]);
    assertOk(await api.post(`${CF}/projects/${p.id}/cancel`, {}, { token: creator.token }));
    assertError(await api.post(R(p.id), { title: 'Late', minAmount: 1000 }, { token: creator.token }), 409, 'CONFLICT');
    assertError(await api.put(R(p.id, p.rewards[0].id), { title: 'Late' }, { token: creator.token }), 409, 'CONFLICT');
    assertError(await api.del(R(p.id, p.rewards[0].id), { token: creator.token }), 409, 'CONFLICT');
    assert.equal(assertOk(await api.get(`${CF}/projects/${p.id}`)).rewards[0].title, 'Only');
  });
});
