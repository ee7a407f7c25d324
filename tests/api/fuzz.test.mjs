// 10,000 random, truncated and mutated HTTP requests and JSON bodies: the server must never answer
// 500 and never crash. Seeded, so that a failure can be replayed; bounded in time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { register, loginAdmin } from './lib/fixtures.mjs';
import { rawRequest, parseResponse } from './lib/raw.mjs';

const SEED = Number(process.env.O4O_FUZZ_SEED || 20261125);
const TOTAL = Number(process.env.O4O_FUZZ_REQUESTS || 10000);
const RAW_SHARE = 0.1;  // share of requests sent as raw, possibly broken, bytes

let srv;
let tokens;
before(async () => {
  srv = await startServer();
  const [user, admin] = await Promise.all([register(srv.api, { role: 'creator' }), loginAdmin(srv.api)]);
  tokens = [undefined, user.token, admin.token, 'not-a-jwt', user.token.slice(0, -3) + 'abc'];
});
after(async () => { await srv?.stop(); });

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UUID = '5b1d9a4e-3c2f-4e8a-9b7c-1d2e3f4a5b6c';
const ROUTES = [
  ['POST', '/api/v1/auth/register'], ['POST', '/api/v1/auth/login'], ['POST', '/api/v1/auth/refresh'],
  ['POST', '/api/v1/auth/logout'], ['GET', '/api/v1/auth/me'], ['GET', '/api/v1/users'], ['PUT', `/api/v1/users/${UUID}`],
  ['GET', '/api/v1/crowdfunding/projects'], ['POST', '/api/v1/crowdfunding/projects'], ['POST', `/api/v1/crowdfunding/projects/${UUID}/fund`],
  ['PUT', `/api/v1/crowdfunding/projects/${UUID}`], ['GET', '/api/v1/crowdfunding/pledges'],
  ['GET', '/api/v1/ecommerce/products'], ['POST', '/api/v1/ecommerce/products'], ['POST', '/api/v1/ecommerce/orders'],
  ['PUT', `/api/v1/ecommerce/orders/${UUID}/status`], ['GET', '/api/v1/ecommerce/orders'],
  ['GET', '/api/v1/forum/posts'], ['POST', '/api/v1/forum/posts'], ['POST', `/api/v1/forum/posts/${UUID}/comments`],
  ['PUT', `/api/v1/forum/posts/${UUID}`], ['POST', '/api/v1/signage/displays'], ['PUT', `/api/v1/signage/displays/${UUID}/content`],
  ['PUT', `/api/v1/signage/displays/${UUID}/schedule`], ['GET', '/api/v1/signage/displays'],
];
const QUERIES = ['', '?page=0', '?page=-1&limit=1000', '?limit=abc', '?q=%22%2A-OR(', '?q=서울', '?sort=bogus', '?status=whatever',
  '?page=99999999999999999999', '?q=' + 'x'.repeat(500), '?category=%00', '?userId=not-a-uuid', '?q=a%26b%7Cc%21'];
const FIELDS = ['email', 'password', 'name', 'role', 'title', 'description', 'content', 'goal', 'deadline', 'amount', 'rewardId',
  'rewards', 'items', 'productId', 'quantity', 'price', 'stock', 'category', 'status', 'shipping', 'type', 'value', 'timezone',
  'entries', 'refreshToken', 'currentPassword', 'pinned', 'locked', 'imageUrl', 'location', 'limit', 'minAmount'];

function randomValue(r, depth = 0) {
  const k = Math.floor(r() * 14);
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 2000) - 1000;
    case 3: return r() * 1e20;
    case 4: return -0.5;
    case 5: return 2 ** 63;
    case 6: return '';
    case 7: return 'x'.repeat(Math.floor(r() * 300));
    case 8: return ['admin', 'user', 'creator', 'paid', 'cancelled', 'text', 'playlist', 'Asia/Seoul', 'Mars/Olympus'][Math.floor(r() * 9)];
    case 9: return '2030-01-01T00:00:00Z';
    case 10: return UUID;
    case 11: return '\u0000\uFFFF<script>"\'\\';
    case 12: return depth < 3 ? Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1)) : [];
    default: return depth < 3 ? randomObject(r, depth + 1) : {};
  }
}

function randomObject(r, depth = 0) {
  const o = {};
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) o[FIELDS[Math.floor(r() * FIELDS.length)]] = randomValue(r, depth);
  return o;
}

function randomBody(r) {
  const json = JSON.stringify(randomObject(r));
  switch (Math.floor(r() * 6)) {
    case 0: return json.slice(0, Math.floor(r() * json.length));  // truncated
    case 1: return json.replace(/[:,]/, ' ');                      // broken
    case 2: return '[' + json + ']';
    case 3: return JSON.stringify(randomValue(r));
    default: return json;
  }
}

function randomRaw(r) {
  const [method, p] = ROUTES[Math.floor(r() * ROUTES.length)];
  const body = randomBody(r);
  const forms = [
    `${method} ${p} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body) + Math.floor(r() * 3)}\r\nConnection: close\r\n\r\n${body}`,
    `${method} ${p} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`,
    `${method} ${p}?${'%'.repeat(Math.floor(r() * 5))}zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256))),
    `GET /${'a/'.repeat(Math.floor(r() * 50))} HTTP/1.1\r\nHost: x\r\n${'X-Junk: y\r\n'.repeat(Math.floor(r() * 30))}Connection: close\r\n\r\n`,
  ];
  const msg = forms[Math.floor(r() * forms.length)];
  if (typeof msg === 'string' && r() < 0.3) return msg.slice(0, Math.floor(r() * msg.length));
  return msg;
}

test(`${TOTAL} random and broken requests never get a 500 nor crash the server`, { timeout: 240000 }, async () => {
  const r = rng(SEED);
  const failures = [];
  let done = 0;
  const deadline = Date.now() + 200000;
  const worker = async () => {
    while (done < TOTAL && Date.now() < deadline) {
      const i = done++;
      if (r() < RAW_SHARE) {
        const text = await rawRequest(srv.port, randomRaw(r), { timeout: 3000 });
        const res = parseResponse(text);
        if (res.status >= 500) failures.push({ i, raw: true, status: res.status, body: res.body.slice(0, 200) });
        continue;
      }
      const [method, p] = ROUTES[Math.floor(r() * ROUTES.length)];
      const q = QUERIES[Math.floor(r() * QUERIES.length)];
      const token = tokens[Math.floor(r() * tokens.length)];
      const body = method === 'GET' ? undefined : randomBody(r);
      const headers = { 'content-type': r() < 0.9 ? 'application/json' : 'text/plain' };
      if (r() < 0.1) headers['idempotency-key'] = 'k' + Math.floor(r() * 5);
      const res = await srv.api.req(method, p + (method === 'GET' ? q : ''), { token, body, headers });
      if (res.status >= 500) failures.push({ i, method, p, q, body: body?.slice(0, 200), status: res.status, text: res.text.slice(0, 200) });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  assert.ok(done >= TOTAL, `only ${done} requests sent before the time bound`);
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} answers were 5xx`);
  assert.equal((await srv.api.get('/healthz')).status, 200);
  assert.equal(srv.proc.exitCode, null, 'server exited');
});
