// Crowdfunding under contention: counters stay exact, a limited reward is never over-claimed,
// a pledge is cancelled once, and a keyed pledge is made once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer } from './lib/harness.mjs';
import { register, loginAdmin, assertOk, assertError } from './lib/fixtures.mjs';

const BASE = '/api/v1/crowdfunding';
const CLIENTS = 50;
const PLEDGES = 500;
const BACKERS = 12;
const LIMIT = 10;

let server, api, creator, backers;

before(async () => {
  server = await startServer();
  api = server.api;
  creator = await register(api, { role: 'creator' });
  backers = await Promise.all(Array.from({ length: BACKERS }, () => register(api)));
});
after(async () => { await server?.stop(); });

async function createProject(rewards = []) {
  const r = await api.post(`${BASE}/projects`, {
    title: `Contended ${randomUUID().slice(0, 6)}`, description: 'under load', goal: 1_000_000,
    deadline: new Date(Date.now() + 3600e3).toISOString(), rewards,
  }, { token: creator.token });
  return assertOk(r, 201);
}

async function allPledges(projectId) {
  const items = [];
  for (let page = 1; ; page++) {
    const d = assertOk(await api.get(`${BASE}/projects/${projectId}/pledges?limit=100&page=${page}`, { token: creator.token }));
    items.push(...d.items);
    if (items.length >= d.total || d.items.length === 0) return { items, total: d.total };
  }
}

test(`${CLIENTS} clients pledge ${PLEDGES} times in parallel; counters are exact`, { timeout: 110_000 }, async () => {
  const p = await createProject([{ title: 'Limited', minAmount: 5, limit: LIMIT }, { title: 'Open', minAmount: 1 }]);
  const [limited, open] = p.rewards;
  const accepted = [];
  let unavailable = 0;
  let next = 0;
  const client = async (c) => {
    for (;;) {
      const i = next++;
      if (i >= PLEDGES) return;
      const who = backers[(c + i) % BACKERS];
      const amount = 5 + (i % 17);
      const rewardId = i % 5 === 0 ? limited.id : i % 5 === 1 ? open.id : undefined;
      const r = await api.post(`${BASE}/projects/${p.id}/fund`, { amount, rewardId }, { token: who.token });
      if (r.status === 201) accepted.push({ user: who.user.id, amount, rewardId, id: r.data.pledge.id });
      else if (r.status === 409 && r.error?.code === 'REWARD_UNAVAILABLE' && rewardId === limited.id) unavailable++;
      else assert.fail(`unexpected answer ${r.status}: ${r.text}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

  const project = assertOk(await api.get(`${BASE}/projects/${p.id}`));
  const sum = accepted.reduce((s, a) => s + a.amount, 0);
  assert.equal(project.raised, sum);
  assert.equal(project.backerCount, new Set(accepted.map((a) => a.user)).size);
  assert.equal(project.rewards[0].claimed, LIMIT);
  assert.equal(accepted.filter((a) => a.rewardId === limited.id).length, LIMIT);
  assert.equal(project.rewards[1].claimed, accepted.filter((a) => a.rewardId === open.id).length);
  assert.equal(accepted.length + unavailable, PLEDGES);

  const stored = await allPledges(p.id);
  assert.equal(stored.total, accepted.length);
  assert.deepEqual(new Set(stored.items.map((x) => x.id)), new Set(accepted.map((a) => a.id)));
});

test('parallel pledges and cancellations by the same backers keep backerCount exact', { timeout: 60_000 }, async () => {
  const p = await createProject([{ title: 'Few', minAmount: 1, limit: 3 }]);
  const few = p.rewards[0].id;
  // each of 6 backers pledges twice (one with the limited reward), then all cancel in parallel
  const made = await Promise.all(backers.slice(0, 6).flatMap((b) => [
    api.post(`${BASE}/projects/${p.id}/fund`, { amount: 10 }, { token: b.token }).then((r) => ({ b, r })),
    api.post(`${BASE}/projects/${p.id}/fund`, { amount: 7, rewardId: few }, { token: b.token }).then((r) => ({ b, r })),
  ]));
  const live = made.filter(({ r }) => r.status === 201);
  assert.equal(made.filter(({ r }) => r.status === 409).length, 3);
  // cancel each live pledge three times at once, plus keep one pledge of backer 0 live
  const keep = live.find(({ b, r }) => b === backers[0] && r.data.pledge.rewardId === null);
  const toCancel = live.filter((x) => x !== keep);
  const answers = await Promise.all(toCancel.flatMap(({ b, r }) => [0, 1, 2].map(() =>
    api.post(`${BASE}/pledges/${r.data.pledge.id}/cancel`, undefined, { token: b.token }))));
  assert.equal(answers.filter((a) => a.status === 200).length, toCancel.length);
  assert.ok(answers.every((a) => a.status === 200 || a.status === 409), answers.map((a) => a.status).join());

  const project = assertOk(await api.get(`${BASE}/projects/${p.id}`));
  assert.equal(project.raised, 10);
  assert.equal(project.backerCount, 1);
  assert.equal(project.rewards[0].claimed, 0);
});

test('the same keyed pledge sent 20 times in parallel is made once', { timeout: 60_000 }, async () => {
  const p = await createProject();
  const who = backers[0];
  const headers = { 'idempotency-key': `pledge-${randomUUID()}` };
  const answers = await Promise.all(Array.from({ length: 20 }, () =>
    api.post(`${BASE}/projects/${p.id}/fund`, { amount: 250 }, { token: who.token, headers })));
  for (const a of answers) assertOk(a, 201);
  assert.equal(new Set(answers.map((a) => a.data.pledge.id)).size, 1);
  const project = assertOk(await api.get(`${BASE}/projects/${p.id}`));
  assert.equal(project.raised, 250);
  assert.equal(project.backerCount, 1);
  assert.equal((await allPledges(p.id)).total, 1);

  assertError(await api.post(`${BASE}/projects/${p.id}/fund`, { amount: 251 }, { token: who.token, headers }), 409, 'IDEMPOTENCY_CONFLICT');
  const same = assertOk(await api.post(`${BASE}/projects/${p.id}/fund`, { amount: 250 }, { token: who.token, headers }), 201);
  assert.equal(same.pledge.id, answers[0].data.pledge.id);
  assert.equal(assertOk(await api.get(`${BASE}/projects/${p.id}`)).raised, 250);
});

test('an admin sees every pledge; counts match the stored pledges', async () => {
  const admin = await loginAdmin(api);
  const list = assertOk(await api.get(`${BASE}/projects?creatorId=${creator.user.id}`));
  for (const project of list.items) {
    const d = assertOk(await api.get(`${BASE}/projects/${project.id}/pledges?limit=100`, { token: admin.token }));
    const items = [];
    for (let page = 1; items.length < d.total; page++) {
      items.push(...assertOk(await api.get(`${BASE}/projects/${project.id}/pledges?limit=100&page=${page}`, { token: admin.token })).items);
    }
    const live = items.filter((x) => x.cancelledAt === null);
    assert.equal(project.raised, live.reduce((s, x) => s + x.amount, 0));
    assert.equal(project.backerCount, new Set(live.map((x) => x.userId)).size);
  }
});
