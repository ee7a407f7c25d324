// Crowdfunding contract: every row of the table in API.md, with role and ownership checks.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer } from './lib/harness.mjs';
import { standardAccounts, register, assertOk, assertError } from './lib/fixtures.mjs';

const BASE = '/api/v1/crowdfunding';
const DAY = 24 * 3600 * 1000;
const inDays = (d) => new Date(Date.now() + d * DAY).toISOString();

let server, api, admin, creator, user, other, creator2;

before(async () => {
  server = await startServer();
  api = server.api;
  ({ admin, creator, user, other } = await standardAccounts(api));
  creator2 = await register(api, { role: 'creator' });
});
after(async () => { await server?.stop(); });

async function createProject(owner = creator, extra = {}) {
  const r = await api.post(`${BASE}/projects`, {
    title: `Project ${randomUUID().slice(0, 8)}`, description: 'A community project', goal: 10000,
    deadline: inDays(10), ...extra,
  }, { token: owner.token });
  return assertOk(r, 201);
}

async function fund(projectId, who, body, headers) {
  return api.post(`${BASE}/projects/${projectId}/fund`, body, { token: who.token, headers });
}

describe('POST /projects', () => {
  test('a creator creates a project with rewards kept in the order given', async () => {
    const deadline = inDays(5);
    const p = await createProject(creator, {
      imageUrl: 'https://images.example.com/a.png', deadline,
      rewards: [
        { title: 'Zeta', description: 'last letter first', minAmount: 500, limit: 3 },
        { title: 'Alpha', minAmount: 100 },
      ],
      raised: 999999, backerCount: 50, status: 'successful', creatorId: user.user.id,
    });
    assert.equal(p.creatorId, creator.user.id);
    assert.equal(p.raised, 0);
    assert.equal(p.backerCount, 0);
    assert.equal(p.status, 'active');
    assert.equal(p.goal, 10000);
    assert.equal(p.imageUrl, 'https://images.example.com/a.png');
    assert.equal(p.deadline, new Date(deadline).toISOString());
    assert.deepEqual(p.rewards.map((r) => r.title), ['Zeta', 'Alpha']);
    assert.deepEqual(p.rewards.map((r) => r.limit), [3, null]);
    assert.deepEqual(p.rewards.map((r) => r.claimed), [0, 0]);
    assert.equal(p.rewards[1].minAmount, 100);
    assert.match(p.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const got = assertOk(await api.get(`${BASE}/projects/${p.id}`));
    assert.deepEqual(got, p);
  });

  test('an admin may create; a plain user may not; anonymous is 401', async () => {
    const p = await createProject(admin);
    assert.equal(p.creatorId, admin.user.id);
    const body = { title: 'x', description: '', goal: 1, deadline: inDays(1) };
    assertError(await api.post(`${BASE}/projects`, body, { token: user.token }), 403, 'FORBIDDEN');
    assertError(await api.post(`${BASE}/projects`, body), 401, 'UNAUTHORIZED');
  });

  test('accepts a deadline with a numeric offset', async () => {
    const d = new Date(Date.now() + 3 * DAY);
    d.setUTCMilliseconds(0);
    const local = new Date(d.getTime() + 9 * 3600 * 1000).toISOString().replace('.000Z', '+09:00');
    const p = await createProject(creator, { deadline: local });
    assert.equal(p.deadline, d.toISOString());
  });

  test('rejects bad fields with VALIDATION_ERROR details', async () => {
    const cases = [
      [{ description: 'd', goal: 1, deadline: inDays(1) }, 'title'],
      [{ title: '', description: 'd', goal: 1, deadline: inDays(1) }, 'title'],
      [{ title: 'x'.repeat(201), description: 'd', goal: 1, deadline: inDays(1) }, 'title'],
      [{ title: 't', description: 'd', goal: 0, deadline: inDays(1) }, 'goal'],
      [{ title: 't', description: 'd', goal: 10.5, deadline: inDays(1) }, 'goal'],
      [{ title: 't', description: 'd', goal: '10', deadline: inDays(1) }, 'goal'],
      [{ title: 't', description: 'd', goal: 2 ** 53, deadline: inDays(1) }, 'goal'],
      [{ title: 't', description: 'd', goal: 1, deadline: inDays(-1) }, 'deadline'],
      [{ title: 't', description: 'd', goal: 1, deadline: 'next week' }, 'deadline'],
      [{ title: 't', description: 'd', goal: 1 }, 'deadline'],
      [{ title: 't', description: 'x'.repeat(10001), goal: 1, deadline: inDays(1) }, 'description'],
      [{ title: 't', description: 'd', goal: 1, deadline: inDays(1), imageUrl: 'javascript:alert(1)' }, 'imageUrl'],
      [{ title: 't', description: 'd', goal: 1, deadline: inDays(1), rewards: {} }, 'rewards'],
      [{ title: 't', description: 'd', goal: 1, deadline: inDays(1), rewards: [{ title: 'r', minAmount: 0 }] }, 'rewards[0].minAmount'],
      [{ title: 't', description: 'd', goal: 1, deadline: inDays(1), rewards: [{ minAmount: 5 }] }, 'rewards[0].title'],
      [{ title: 't', description: 'd', goal: 1, deadline: inDays(1), rewards: [{ title: 'r', minAmount: 5, limit: 0 }] }, 'rewards[0].limit'],
    ];
    for (const [body, field] of cases) {
      const e = assertError(await api.post(`${BASE}/projects`, body, { token: creator.token }), 400, 'VALIDATION_ERROR');
      assert.ok(e.details.some((d) => d.field === field), `${JSON.stringify(body).slice(0, 120)} → ${JSON.stringify(e.details)}`);
    }
    assertError(await api.post(`${BASE}/projects`, '{"title":', { token: creator.token, headers: { 'content-type': 'application/json' } }), 400, 'INVALID_JSON');
    assertError(await api.post(`${BASE}/projects`, '[1]', { token: creator.token, headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_ERROR');
  });
});

describe('GET /projects and /projects/:id', () => {
  test('unknown or malformed ids are 404', async () => {
    assertError(await api.get(`${BASE}/projects/${randomUUID()}`), 404, 'NOT_FOUND');
    assertError(await api.get(`${BASE}/projects/not-a-uuid`), 404, 'NOT_FOUND');
  });

  test('lists newest first with pagination and filters', async () => {
    const mark = randomUUID().slice(0, 8);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createProject(creator2, { title: `Filter ${mark} #${i}` }));
    const cancelled = await createProject(creator2, { title: `Filter ${mark} gone`, description: `100%_literal ${mark}` });
    assertOk(await api.post(`${BASE}/projects/${cancelled.id}/cancel`, undefined, { token: creator2.token }));

    const all = assertOk(await api.get(`${BASE}/projects?creatorId=${creator2.user.id}&limit=2`));
    assert.equal(all.total, 4);
    assert.equal(all.page, 1);
    assert.equal(all.limit, 2);
    assert.deepEqual(all.items.map((p) => p.id), [cancelled.id, made[2].id]);
    const page2 = assertOk(await api.get(`${BASE}/projects?creatorId=${creator2.user.id}&limit=2&page=2`));
    assert.deepEqual(page2.items.map((p) => p.id), [made[1].id, made[0].id]);

    const active = assertOk(await api.get(`${BASE}/projects?creatorId=${creator2.user.id}&status=active`));
    assert.equal(active.total, 3);
    assert.ok(active.items.every((p) => p.status === 'active'));
    const gone = assertOk(await api.get(`${BASE}/projects?creatorId=${creator2.user.id}&status=cancelled`));
    assert.deepEqual(gone.items.map((p) => p.id), [cancelled.id]);
    assert.equal(assertOk(await api.get(`${BASE}/projects?creatorId=${creator2.user.id}&status=failed`)).total, 0);

    const q = assertOk(await api.get(`${BASE}/projects?q=${encodeURIComponent(`filter ${mark.toUpperCase()}`)}`));
    assert.equal(q.total, 4);
    const literal = assertOk(await api.get(`${BASE}/projects?q=${encodeURIComponent('100%_lit')}`));
    assert.deepEqual(literal.items.map((p) => p.id), [cancelled.id]);
    assert.equal(assertOk(await api.get(`${BASE}/projects?q=${encodeURIComponent('1_0%')}`)).total, 0);
    assert.equal(assertOk(await api.get(`${BASE}/projects?creatorId=${randomUUID()}`)).total, 0);
  });

  test('bad list parameters are 400', async () => {
    for (const qs of ['status=open', 'page=0', 'limit=0', 'limit=101', 'page=abc']) {
      assertError(await api.get(`${BASE}/projects?${qs}`), 400, 'VALIDATION_ERROR');
    }
  });
});

describe('PUT /projects/:id', () => {
  test('owner and admin edit; others are refused', async () => {
    const p = await createProject();
    const r1 = assertOk(await api.put(`${BASE}/projects/${p.id}`, { title: 'Renamed', description: 'New text' }, { token: creator.token }));
    assert.equal(r1.title, 'Renamed');
    assert.equal(r1.description, 'New text');
    assert.equal(r1.goal, p.goal);
    const r2 = assertOk(await api.put(`${BASE}/projects/${p.id}`, { title: 'By admin' }, { token: admin.token }));
    assert.equal(r2.title, 'By admin');
    assert.equal(r2.description, 'New text');
    assertError(await api.put(`${BASE}/projects/${p.id}`, { title: 'x' }, { token: creator2.token }), 403, 'FORBIDDEN');
    assertError(await api.put(`${BASE}/projects/${p.id}`, { title: 'x' }, { token: user.token }), 403, 'FORBIDDEN');
    assertError(await api.put(`${BASE}/projects/${p.id}`, { title: 'x' }), 401, 'UNAUTHORIZED');
    assertError(await api.put(`${BASE}/projects/${randomUUID()}`, { title: 'x' }, { token: admin.token }), 404, 'NOT_FOUND');
    assertError(await api.put(`${BASE}/projects/${p.id}`, { title: '' }, { token: creator.token }), 400, 'VALIDATION_ERROR');
    assert.equal(assertOk(await api.get(`${BASE}/projects/${p.id}`)).title, 'By admin');
  });

  test('goal and deadline change only until the first pledge', async () => {
    const p = await createProject();
    const deadline = inDays(20);
    const r = assertOk(await api.put(`${BASE}/projects/${p.id}`, { goal: 777, deadline }, { token: creator.token }));
    assert.equal(r.goal, 777);
    assert.equal(r.deadline, deadline);
    assertError(await api.put(`${BASE}/projects/${p.id}`, { deadline: inDays(-1) }, { token: creator.token }), 400, 'VALIDATION_ERROR');

    const pledge = assertOk(await fund(p.id, user, { amount: 5 }), 201).pledge;
    assertError(await api.put(`${BASE}/projects/${p.id}`, { goal: 1000 }, { token: creator.token }), 409, 'CONFLICT');
    // a cancelled pledge still counts: its backer saw these terms
    assertOk(await api.post(`${BASE}/pledges/${pledge.id}/cancel`, undefined, { token: user.token }));
    assertError(await api.put(`${BASE}/projects/${p.id}`, { deadline: inDays(30) }, { token: admin.token }), 409, 'CONFLICT');
    const after = assertOk(await api.put(`${BASE}/projects/${p.id}`, { title: 'Still editable', imageUrl: 'https://x.example/i.jpg' }, { token: creator.token }));
    assert.equal(after.title, 'Still editable');
    assert.equal(after.imageUrl, 'https://x.example/i.jpg');
    assert.equal(after.goal, 777);
    const cleared = assertOk(await api.put(`${BASE}/projects/${p.id}`, { imageUrl: null }, { token: creator.token }));
    assert.equal(cleared.imageUrl, null);
  });
});

describe('POST /projects/:id/cancel', () => {
  test('owner or admin cancels; then no pledges', async () => {
    const p = await createProject();
    assertError(await api.post(`${BASE}/projects/${p.id}/cancel`, undefined, { token: creator2.token }), 403, 'FORBIDDEN');
    assertError(await api.post(`${BASE}/projects/${p.id}/cancel`, undefined, { token: user.token }), 403, 'FORBIDDEN');
    assertError(await api.post(`${BASE}/projects/${p.id}/cancel`), 401, 'UNAUTHORIZED');
    const c = assertOk(await api.post(`${BASE}/projects/${p.id}/cancel`, undefined, { token: creator.token }));
    assert.equal(c.status, 'cancelled');
    assert.equal(c.id, p.id);
    assertError(await fund(p.id, user, { amount: 10 }), 409, 'FUNDING_CLOSED');
    assertError(await api.post(`${BASE}/projects/${p.id}/cancel`, undefined, { token: creator.token }), 409, 'INVALID_TRANSITION');
    assert.equal(assertOk(await api.get(`${BASE}/projects/${p.id}`)).status, 'cancelled');

    const q = await createProject();
    assert.equal(assertOk(await api.post(`${BASE}/projects/${q.id}/cancel`, undefined, { token: admin.token })).status, 'cancelled');
    assertError(await api.post(`${BASE}/projects/${randomUUID()}/cancel`, undefined, { token: admin.token }), 404, 'NOT_FOUND');
  });
});

describe('POST /projects/:id/fund', () => {
  test('pledges and answers the pledge and the project', async () => {
    const p = await createProject(creator, { rewards: [{ title: 'Mug', minAmount: 300, limit: 1 }] });
    const r = assertOk(await fund(p.id, user, { amount: 500, rewardId: p.rewards[0].id, userId: other.user.id }), 201);
    assert.deepEqual(Object.keys(r).sort(), ['pledge', 'project']);
    assert.equal(r.pledge.projectId, p.id);
    assert.equal(r.pledge.userId, user.user.id);
    assert.equal(r.pledge.amount, 500);
    assert.equal(r.pledge.rewardId, p.rewards[0].id);
    assert.match(r.pledge.createdAt, /Z$/);
    assert.equal(r.project.raised, 500);
    assert.equal(r.project.backerCount, 1);
    assert.equal(r.project.rewards[0].claimed, 1);

    assertError(await fund(p.id, other, { amount: 500, rewardId: p.rewards[0].id }), 409, 'REWARD_UNAVAILABLE');
    const plain = assertOk(await fund(p.id, user, { amount: 1 }), 201);
    assert.equal(plain.pledge.rewardId, null);
    assert.equal(plain.project.raised, 501);
    assert.equal(plain.project.backerCount, 1);
    const third = assertOk(await fund(p.id, other, { amount: 2 }), 201);
    assert.equal(third.project.backerCount, 2);
  });

  test('refuses bad amounts and rewards', async () => {
    const p = await createProject(creator, { rewards: [{ title: 'Cap', minAmount: 100 }] });
    const q = await createProject(creator, { rewards: [{ title: 'Other', minAmount: 1 }] });
    for (const body of [{}, { amount: 0 }, { amount: -5 }, { amount: 1.5 }, { amount: '10' }, { amount: 2 ** 53 }]) {
      const e = assertError(await fund(p.id, user, body), 400, 'VALIDATION_ERROR');
      assert.ok(e.details.some((d) => d.field === 'amount'), JSON.stringify(e));
    }
    assertError(await fund(p.id, user, { amount: 99, rewardId: p.rewards[0].id }), 400, 'VALIDATION_ERROR');
    assertError(await fund(p.id, user, { amount: 500, rewardId: q.rewards[0].id }), 400, 'VALIDATION_ERROR');
    assertError(await fund(p.id, user, { amount: 500, rewardId: randomUUID() }), 400, 'VALIDATION_ERROR');
    assertError(await fund(p.id, user, { amount: 500, rewardId: 'abc' }), 400, 'VALIDATION_ERROR');
    assertError(await fund(randomUUID(), user, { amount: 5 }), 404, 'NOT_FOUND');
    assertError(await api.post(`${BASE}/projects/${p.id}/fund`, { amount: 5 }), 401, 'UNAUTHORIZED');
    const after = assertOk(await api.get(`${BASE}/projects/${p.id}`));
    assert.equal(after.raised, 0);
    assert.equal(after.rewards[0].claimed, 0);
  });

  test('the same Idempotency-Key replays; another body with it is 409', async () => {
    const p = await createProject();
    const key = { 'idempotency-key': `k-${randomUUID()}` };
    const a = assertOk(await fund(p.id, user, { amount: 40 }, key), 201);
    const b = assertOk(await fund(p.id, user, { amount: 40 }, key), 201);
    assert.deepEqual(b, a);
    assertError(await fund(p.id, user, { amount: 41 }, key), 409, 'IDEMPOTENCY_CONFLICT');
    // keys are per user
    const c = assertOk(await fund(p.id, other, { amount: 40 }, key), 201);
    assert.notEqual(c.pledge.id, a.pledge.id);
    assert.equal(assertOk(await api.get(`${BASE}/projects/${p.id}`)).raised, 80);
  });
});

describe('pledge lists', () => {
  test('GET /projects/:id/pledges is for the owner and admins', async () => {
    const p = await createProject();
    const first = assertOk(await fund(p.id, user, { amount: 10 }), 201).pledge;
    const second = assertOk(await fund(p.id, other, { amount: 20 }), 201).pledge;
    for (const who of [creator, admin]) {
      const list = assertOk(await api.get(`${BASE}/projects/${p.id}/pledges`, { token: who.token }));
      assert.equal(list.total, 2);
      assert.deepEqual(list.items.map((x) => x.id), [second.id, first.id]);
      assert.equal(list.items[1].amount, 10);
      assert.equal(list.items[1].userId, user.user.id);
    }
    const paged = assertOk(await api.get(`${BASE}/projects/${p.id}/pledges?limit=1&page=2`, { token: creator.token }));
    assert.deepEqual(paged.items.map((x) => x.id), [first.id]);
    assert.equal(paged.total, 2);
    assertError(await api.get(`${BASE}/projects/${p.id}/pledges`, { token: user.token }), 403, 'FORBIDDEN');
    assertError(await api.get(`${BASE}/projects/${p.id}/pledges`, { token: creator2.token }), 403, 'FORBIDDEN');
    assertError(await api.get(`${BASE}/projects/${p.id}/pledges`), 401, 'UNAUTHORIZED');
    assertError(await api.get(`${BASE}/projects/${randomUUID()}/pledges`, { token: admin.token }), 404, 'NOT_FOUND');
    assertError(await api.get(`${BASE}/projects/${p.id}/pledges?limit=500`, { token: creator.token }), 400, 'VALIDATION_ERROR');
  });

  test('GET /pledges lists only the caller\'s pledges, with project titles', async () => {
    const backer = await register(api);
    const p = await createProject(creator, { title: 'Mine to see' });
    const q = await createProject(creator2, { title: 'Also mine' });
    assertOk(await fund(p.id, backer, { amount: 3 }), 201);
    assertOk(await fund(q.id, backer, { amount: 4 }), 201);
    assertOk(await fund(q.id, other, { amount: 5 }), 201);
    const mine = assertOk(await api.get(`${BASE}/pledges`, { token: backer.token }));
    assert.equal(mine.total, 2);
    assert.deepEqual(mine.items.map((x) => [x.projectTitle, x.amount]), [['Also mine', 4], ['Mine to see', 3]]);
    assert.ok(mine.items.every((x) => x.userId === backer.user.id));
    assertError(await api.get(`${BASE}/pledges`), 401, 'UNAUTHORIZED');
  });
});

describe('POST /pledges/:id/cancel', () => {
  test('the backer or an admin cancels; counters go back exactly once', async () => {
    const p = await createProject(creator, { rewards: [{ title: 'Pin', minAmount: 10, limit: 5 }] });
    const a = assertOk(await fund(p.id, user, { amount: 100, rewardId: p.rewards[0].id }), 201).pledge;
    const b = assertOk(await fund(p.id, other, { amount: 50 }), 201).pledge;

    assertError(await api.post(`${BASE}/pledges/${a.id}/cancel`, undefined, { token: other.token }), 404, 'NOT_FOUND');
    assertError(await api.post(`${BASE}/pledges/${a.id}/cancel`, undefined, { token: creator.token }), 404, 'NOT_FOUND');
    assertError(await api.post(`${BASE}/pledges/${a.id}/cancel`), 401, 'UNAUTHORIZED');
    assertError(await api.post(`${BASE}/pledges/${randomUUID()}/cancel`, undefined, { token: admin.token }), 404, 'NOT_FOUND');

    const c = assertOk(await api.post(`${BASE}/pledges/${a.id}/cancel`, undefined, { token: user.token }));
    assert.equal(c.id, a.id);
    assert.match(c.cancelledAt, /Z$/);
    assert.equal(c.project.raised, 50);
    assert.equal(c.project.backerCount, 1);
    assert.equal(c.project.rewards[0].claimed, 0);
    assertError(await api.post(`${BASE}/pledges/${a.id}/cancel`, undefined, { token: user.token }), 409);

    assertOk(await api.post(`${BASE}/pledges/${b.id}/cancel`, undefined, { token: admin.token }));
    const after = assertOk(await api.get(`${BASE}/projects/${p.id}`));
    assert.equal(after.raised, 0);
    assert.equal(after.backerCount, 0);
    const mine = assertOk(await api.get(`${BASE}/pledges`, { token: user.token }));
    assert.ok(mine.items.find((x) => x.id === a.id).cancelledAt);
  });

  test('refused once the project is cancelled', async () => {
    const p = await createProject();
    const a = assertOk(await fund(p.id, user, { amount: 100 }), 201).pledge;
    assertOk(await api.post(`${BASE}/projects/${p.id}/cancel`, undefined, { token: creator.token }));
    assertError(await api.post(`${BASE}/pledges/${a.id}/cancel`, undefined, { token: user.token }), 409, 'FUNDING_CLOSED');
    assert.equal(assertOk(await api.get(`${BASE}/projects/${p.id}`)).raised, 100);
  });
});

describe('deadline', () => {
  test('status follows the deadline: successful or failed, and funding closes', async () => {
    const deadline = new Date(Date.now() + 2000).toISOString();
    const funded = await createProject(creator, { goal: 100, deadline });
    const short = await createProject(creator, { goal: 100, deadline });
    const pledge = assertOk(await fund(funded.id, user, { amount: 100 }), 201).pledge;
    assertOk(await fund(short.id, user, { amount: 99 }), 201);
    const wait = new Date(deadline).getTime() - Date.now() + 150;
    await new Promise((r) => setTimeout(r, Math.max(wait, 0)));

    assert.equal(assertOk(await api.get(`${BASE}/projects/${funded.id}`)).status, 'successful');
    assert.equal(assertOk(await api.get(`${BASE}/projects/${short.id}`)).status, 'failed');
    assertError(await fund(funded.id, other, { amount: 5 }), 409, 'FUNDING_CLOSED');
    assertError(await api.post(`${BASE}/pledges/${pledge.id}/cancel`, undefined, { token: user.token }), 409, 'FUNDING_CLOSED');
    assertError(await api.post(`${BASE}/projects/${funded.id}/cancel`, undefined, { token: creator.token }), 409);
    assertError(await api.put(`${BASE}/projects/${short.id}`, { goal: 50 }, { token: creator.token }), 409, 'CONFLICT');

    const mine = `creatorId=${creator.user.id}`;
    const ok = assertOk(await api.get(`${BASE}/projects?${mine}&status=successful`));
    assert.ok(ok.items.some((p) => p.id === funded.id));
    assert.ok(ok.items.every((p) => p.status === 'successful'));
    const failed = assertOk(await api.get(`${BASE}/projects?${mine}&status=failed`));
    assert.deepEqual(failed.items.map((p) => p.id), [short.id]);
    const active = assertOk(await api.get(`${BASE}/projects?${mine}&status=active`));
    assert.ok(!active.items.some((p) => p.id === funded.id || p.id === short.id));
  });
});
