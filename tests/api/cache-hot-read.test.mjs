// Cache hits answered on the IO thread (issue 17): a hit is the very answer a miss gives (and the
// answer of a server without the cache), counted once; a write is read at once by its writer and
// by anyone; a bad query is still its 400 whatever is cached; a signed-in reader of a post gets
// their own likedByMe and a bad token its 401.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer } from './lib/harness.mjs';
import { standardAccounts, assertOk, assertError } from './lib/fixtures.mjs';

const E = '/api/v1/ecommerce';
const C = '/api/v1/crowdfunding';
const F = '/api/v1/forum';
const tag = () => randomBytes(4).toString('hex');
const DAY = 24 * 3600 * 1000;

async function counters(api) {
  const text = (await api.get('/metrics')).text;
  const read = (name) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)[1]);
  return { hits: read('o4o_cache_hits_total'), misses: read('o4o_cache_misses_total') };
}

// What may differ between two answers to the same request: when and which request it was.
const PER_REQUEST = new Set(['date', 'x-request-id']);
function comparable(res) {
  const headers = [...res.headers.entries()].filter(([k]) => !PER_REQUEST.has(k)).sort();
  assert.ok(res.headers.get('x-request-id'), 'every answer names its request');
  const json = JSON.parse(res.text);
  assert.match(json.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  delete json.timestamp;
  return { status: res.status, headers, body: json };
}

describe('cache hits answer as the handler does', () => {
  let server, off, api, acc, product, project, post, category;
  before(async () => {
    server = await startServer();
    // The same database without the cache: every answer comes from a handler.
    off = await startServer({ database: server.db, admin: false, env: { O4O_CACHE_MB: '0' } });
    api = server.api;
    acc = await standardAccounts(api);
    category = `hot-${tag()}`;
    product = assertOk(await api.post(`${E}/products`, {
      name: `Hot ${tag()}`, description: 'read often', price: 1200, category, stock: 9,
    }, { token: acc.admin.token }), 201);
    project = assertOk(await api.post(`${C}/projects`, {
      title: `Hot project ${tag()}`, description: 'A project read often', goal: 100000,
      deadline: new Date(Date.now() + 30 * DAY).toISOString(),
      rewards: [{ title: 'Thanks', description: 'A note', minAmount: 1000 }],
    }, { token: acc.creator.token }), 201);
    post = assertOk(await api.post(`${F}/posts`, { title: `Hot post ${tag()}`, content: 'read often' },
      { token: acc.user.token }), 201);
  });
  after(async () => {
    await off?.stop({ keepDatabase: true });
    await server?.stop();
  });

  const reads = () => [
    `${E}/products/${product.id}`,
    `${E}/products?limit=20&category=${category}`,
    `${E}/products?limit=20`,
    `${C}/projects/${project.id}`,
    `${C}/projects?limit=20`,
    `${F}/posts/${post.id}`,
  ];

  test('a hit is the miss\'s answer and the uncached server\'s, counted once each', async () => {
    for (const p of reads()) {
      const c0 = await counters(api);
      const miss = await api.get(p);
      const c1 = await counters(api);
      const hit = await api.get(p);
      const c2 = await counters(api);
      assert.equal(miss.status, 200, `${p}: ${miss.text}`);
      assert.deepEqual([c1.misses - c0.misses, c1.hits - c0.hits], [1, 0], `${p}: the first read is one miss`);
      assert.deepEqual([c2.misses - c1.misses, c2.hits - c1.hits], [0, 1], `${p}: the second read is one hit`);
      assert.deepEqual(comparable(hit), comparable(miss), p);
      assert.deepEqual(comparable(hit), comparable(await off.api.get(p)), p);
    }
  });

  test('a client\'s request id and trace are answered on a hit as on a miss', async () => {
    const p = `${E}/products/${product.id}`;
    await api.get(p);
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const hit = await api.get(p, { headers: { 'x-request-id': 'hot-read-1', traceparent } });
    const handled = await off.api.get(p, { headers: { 'x-request-id': 'hot-read-1', traceparent } });
    assert.equal(hit.headers.get('x-request-id'), 'hot-read-1');
    assert.deepEqual(comparable(hit), comparable(handled));
  });

  test('every spelling of the same first page is one entry', async () => {
    const cat = `spell-${tag()}`;
    assertOk(await api.post(`${E}/products`, { name: 'Spelled', description: 'd', price: 10, category: cat, stock: 1 },
      { token: acc.admin.token }), 201);
    const first = assertOk(await api.get(`${E}/products?category=${cat}`));
    const c0 = await counters(api);
    for (const q of ['limit=20', 'page=1&limit=20', 'sort=-createdAt', 'q=&limit=20']) {
      assert.deepEqual(assertOk(await api.get(`${E}/products?category=${cat}&${q}`)), first, q);
    }
    const c1 = await counters(api);
    assert.deepEqual([c1.hits - c0.hits, c1.misses - c0.misses], [4, 0]);
  });

  test('a bad query is its 400 even when the first page is in memory', async () => {
    assertOk(await api.get(`${E}/products?limit=20`));
    assertOk(await api.get(`${E}/products?limit=20`));
    for (const q of ['limit=0', 'limit=abc', 'limit=101', 'page=0', 'sort=name']) {
      const r = await api.get(`${E}/products?${q}`);
      assertError(r, 400, 'VALIDATION_ERROR');
      assert.deepEqual(comparable(r).body, comparable(await off.api.get(`${E}/products?${q}`)).body, q);
    }
    assertOk(await api.get(`${C}/projects`));
    for (const q of ['limit=-1', 'status=sleeping', 'sort=oldest']) {
      assertError(await api.get(`${C}/projects?${q}`), 400, 'VALIDATION_ERROR');
    }
    // An id we could not have issued is a 404 without a cache key.
    assertError(await api.get(`${E}/products/not-an-id`), 404, 'NOT_FOUND');
  });

  test('a write is read at once by its writer and by anyone, from a warm cache', async () => {
    const p = `${E}/products/${product.id}`;
    const list = `${E}/products?limit=20&category=${category}`;
    await api.get(p); await api.get(p); await api.get(list); await api.get(list);
    for (const price of [1300, 1400, 1500]) {
      assertOk(await api.put(p, { price }, { token: acc.admin.token }));
      assert.equal(assertOk(await api.get(p, { token: acc.admin.token })).price, price, 'the writer');
      assert.equal(assertOk(await api.get(p)).price, price, 'an anonymous reader');
      assert.equal(assertOk(await api.get(list)).items[0].price, price, 'the list');
      assert.equal(assertOk(await api.get(p)).price, price, 'from memory again');
    }
    // An order takes stock: the buyer and anyone see it at once.
    const before = assertOk(await api.get(p)).stock;
    assertOk(await api.post(`${E}/orders`, { items: [{ productId: product.id, quantity: 2 }] }, { token: acc.user.token }), 201);
    assert.equal(assertOk(await api.get(p, { token: acc.user.token })).stock, before - 2);
    assert.equal(assertOk(await api.get(p)).stock, before - 2);
    // A post's new comment, read by its author and by an anonymous reader.
    const pp = `${F}/posts/${post.id}`;
    await api.get(pp); await api.get(pp);
    assertOk(await api.post(`${pp}/comments`, { content: 'first!' }, { token: acc.other.token }), 201);
    assert.equal(assertOk(await api.get(pp, { token: acc.other.token })).commentCount, 1);
    assert.equal(assertOk(await api.get(pp)).commentCount, 1);
  });

  test('a post\'s likedByMe is the reader\'s own; a bad token is 401 even when it is in memory', async () => {
    const pp = `${F}/posts/${post.id}`;
    assertOk(await api.post(`${pp}/like`, undefined, { token: acc.other.token }));
    await api.get(pp);
    const anonymous = assertOk(await api.get(pp));
    assert.equal(anonymous.likedByMe, false);
    assert.equal(anonymous.likeCount, 1);
    assert.equal(assertOk(await api.get(pp, { token: acc.other.token })).likedByMe, true);
    assert.equal(assertOk(await api.get(pp, { token: acc.creator.token })).likedByMe, false);
    assertError(await api.get(pp, { token: 'not-a-token' }), 401);
    assertError(await api.get(pp, { headers: { authorization: 'Basic eDp5' } }), 401);
  });
});
