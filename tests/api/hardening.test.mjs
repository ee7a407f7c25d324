// The contract's "Server behaviour" rules that an outside attack found missing (issue 19, Low):
// query text that is not UTF-8, Transfer-Encoding without chunked, the HTML security headers,
// paginated comments, idempotency keys per endpoint, device tokens in any spelling kept out of
// the log, nbf, and files created for the server's own user only.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync, mkdirSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, dbKind } from './lib/harness.mjs';
import { loginAdmin, register, assertOk, assertError } from './lib/fixtures.mjs';
import { rawRequest, parseResponse } from './lib/raw.mjs';

const SECRET = process.env.O4O_JWT_SECRET || 'test-secret-' + 'x'.repeat(40);
let server, api, admin, user, web;

before(async () => {
  web = mkdtempSync(path.join(tmpdir(), 'o4o-web-'));
  mkdirSync(path.join(web, 'assets'));
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>O4O</title>app-shell');
  writeFileSync(path.join(web, 'assets', 'a-abc123.js'), 'console.log(1)');
  // Access log on, so that the test can look for tokens in it.
  server = await startServer({ webRoot: web, env: { O4O_LOG_LEVEL: 'info' } });
  api = server.api;
  [admin, user] = await Promise.all([loginAdmin(api), register(api)]);
});
after(async () => {
  await server?.stop();
  rmSync(web, { recursive: true, force: true });
});

describe('query text', () => {
  it('not UTF-8 is 400 VALIDATION_ERROR on any route, never a 500', async () => {
    for (const q of ['/api/v1/ecommerce/products?q=%FF%FE', '/api/v1/ecommerce/products?category=%C0%AF',
      '/api/v1/forum/posts?category=%ED%A0%80', '/api/v1/crowdfunding/projects?q=abc%80',
      '/api/v1/forum/posts?q=%E3%80', '/api/v1/ecommerce/products?%FF=1']) {
      assertError(await api.get(q), 400, 'VALIDATION_ERROR');
    }
    assertOk(await api.get('/api/v1/ecommerce/products?q=%EC%84%9C%EC%9A%B8'));
  });
});

describe('Transfer-Encoding', () => {
  it('a last coding other than chunked is 400 and the connection closes', async () => {
    for (const te of ['gzip', 'chunked, gzip', 'identity']) {
      const text = await rawRequest(server.port,
        `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: ${te}\r\n\r\n` +
        '2\r\n{}\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      const r = parseResponse(text);
      assert.equal(r.status, 400, `${te}: ${text.slice(0, 200)}`);
      assert.match(r.headers.connection ?? '', /close/i, te);
      assert.equal(text.split('HTTP/1.1 ').length - 1, 1, `${te}: one answer, then the connection closed`);
    }
  });
});

describe('HTML answers', () => {
  it('carry CSP with frame-ancestors none, X-Frame-Options, Referrer-Policy and nosniff', async () => {
    for (const p of ['/', '/admin', '/forum/posts/1']) {
      const r = await api.get(p);
      assert.equal(r.status, 200, p);
      assert.match(r.headers.get('content-type'), /^text\/html/);
      const csp = r.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, p);
      assert.match(csp, /script-src 'self'/, p);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', p);
      assert.equal(r.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', p);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    }
  });
});

describe('forum comments', () => {
  it('a post carries its first 100 comments; GET .../comments pages through all of them', async () => {
    const post = assertOk(await api.post('/api/v1/forum/posts', { title: 'Busy', content: 'many comments' }, { token: user.token }), 201);
    for (let i = 0; i < 105; i += 5) {
      await Promise.all([0, 1, 2, 3, 4].map((k) =>
        api.post(`/api/v1/forum/posts/${post.id}/comments`, { content: `c${i + k}` }, { token: user.token })));
    }
    const full = assertOk(await api.get(`/api/v1/forum/posts/${post.id}`));
    assert.equal(full.commentCount, 105);
    assert.equal(full.comments.length, 100);
    const page = assertOk(await api.get(`/api/v1/forum/posts/${post.id}/comments?page=2&limit=50`));
    assert.deepEqual([page.total, page.page, page.limit, page.items.length], [105, 2, 50, 50]);
    const last = assertOk(await api.get(`/api/v1/forum/posts/${post.id}/comments?page=3&limit=50`));
    assert.equal(last.items.length, 5);
    const all = [];
    for (let p = 1; p <= 2; p++) all.push(...assertOk(await api.get(`/api/v1/forum/posts/${post.id}/comments?page=${p}&limit=100`)).items);
    assert.deepEqual(all.slice(0, 100).map((c) => c.id), full.comments.map((c) => c.id), 'oldest first, as in the post');
    assert.equal(new Set(all.map((c) => c.id)).size, 105);
    assertError(await api.get('/api/v1/forum/posts/00000000-0000-4000-8000-000000000000/comments'), 404, 'NOT_FOUND');
    assertError(await api.get(`/api/v1/forum/posts/${post.id}/comments?limit=101`), 400, 'VALIDATION_ERROR');
  });
});

describe('idempotency keys', () => {
  it('are scoped by the endpoint: // or a trailing / in the path replays, not a second order', async () => {
    const product = assertOk(await api.post('/api/v1/ecommerce/products', { name: 'Idem', description: 'x', price: 1000,
      category: 'idem', stock: 10 }, { token: admin.token }), 201);
    const body = { items: [{ productId: product.id, quantity: 1 }] };
    const headers = { 'Idempotency-Key': `idem-${Date.now()}` };
    const first = assertOk(await api.post('/api/v1/ecommerce/orders', body, { token: user.token, headers }), 201);
    for (const p of ['/api/v1//ecommerce/orders', '/api/v1/ecommerce/orders/', '/api/v1/ecommerce//orders//']) {
      const again = await api.post(p, body, { token: user.token, headers });
      assert.equal(again.status, 201, p);
      assert.equal(again.data.id, first.id, p);
    }
    assert.equal(assertOk(await api.get(`/api/v1/ecommerce/products/${product.id}`)).stock, 9);
  });
});

describe('tokens', () => {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sign = (payload) => {
    const head = b64({ alg: 'HS256', typ: 'JWT' });
    const body = b64(payload);
    return `${head}.${body}.${createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url')}`;
  };

  it('an access token before its nbf is 401; at or after it, accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { userId: user.user.id, email: user.user.email, role: 'user', iat: now, exp: now + 600 };
    assertError(await api.get('/api/v1/auth/me', { token: sign({ ...claims, nbf: now + 300 }) }), 401, 'UNAUTHORIZED');
    assertOk(await api.get('/api/v1/auth/me', { token: sign({ ...claims, nbf: now - 5 }) }));
    assertOk(await api.get('/api/v1/auth/me', { token: sign(claims) }));
  });

  it('a device token sent as ?%74oken= or ?TOKEN= never reaches the log', async () => {
    const made = assertOk(await api.post('/api/v1/signage/displays', { name: 'Log', location: 'x' }, { token: admin.token }), 201);
    for (const name of ['%74oken', 'TOKEN', 'to%6Ben']) {
      await rawRequest(server.port,
        `GET /api/v1/signage/displays/${made.display.id}/stream?${name}=${made.deviceToken} HTTP/1.1\r\nHost: x\r\n\r\n`,
        { timeout: 500 });
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(server.output().includes(`/api/v1/signage/displays/${made.display.id}/stream`), 'the requests were logged');
    assert.ok(!server.output().includes(made.deviceToken), 'a device token reached the log');
  });
});

describe('files the server creates', { skip: dbKind !== 'sqlite' }, () => {
  it('the SQLite database is readable by the server user only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'o4o-perm-'));
    const data = path.join(dir, 'data');
    const own = await startServer({ admin: false, database: { url: `sqlite:${path.join(data, 'o4o.db')}`, drop() {} },
    });
    try {
      assertOk(await own.api.get('/api/v1/config'));
      for (const f of ['o4o.db']) {
        const mode = statSync(path.join(data, f)).mode & 0o777;
        assert.equal(mode & 0o077, 0, `${f} is ${mode.toString(8)}`);
      }
    } finally {
      await own.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
