// The platform core over real HTTP: envelopes for 404/405/413/415/400, request ids, metrics,
// static files and traversal, rate limiting, graceful stop, and start-up failures.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync, rmSync, utimesSync } from 'node:fs';
import http from 'node:http';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { startServer, runCli, freePort, dbKind } from './lib/harness.mjs';
import { assertError, assertOk } from './lib/fixtures.mjs';
import { rawRequest, parseResponse } from './lib/raw.mjs';

let srv;
let web;
const APP_JS = 'export const greeting = "hello";\n'.repeat(200);

// GET without any decoding, to see the bytes and headers the server sent.
function getRaw(port, p, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

before(async () => {
  web = mkdtempSync(path.join(tmpdir(), 'o4o-web-'));
  mkdirSync(path.join(web, 'root/assets'), { recursive: true });
  writeFileSync(path.join(web, 'root/index.html'), '<!doctype html><title>O4O</title>app-shell');
  writeFileSync(path.join(web, 'root/assets/index-abc123.js'), 'console.log("hi")');
  writeFileSync(path.join(web, 'root/assets/style-abc123.css'), 'body{}');
  writeFileSync(path.join(web, 'secret.txt'), 'TOP-SECRET');
  // An asset with precompressed copies, one whose copy is older than itself, and one whose copy
  // is a symlink out of the root.
  writeFileSync(path.join(web, 'root/assets/app-abc123.js'), APP_JS);
  writeFileSync(path.join(web, 'root/assets/app-abc123.js.br'), brotliCompressSync(APP_JS));
  writeFileSync(path.join(web, 'root/assets/app-abc123.js.gz'), gzipSync(APP_JS));
  writeFileSync(path.join(web, 'root/assets/stale.js'), APP_JS);
  writeFileSync(path.join(web, 'root/assets/stale.js.gz'), gzipSync('old contents'));
  utimesSync(path.join(web, 'root/assets/stale.js.gz'), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
  writeFileSync(path.join(web, 'root/assets/leak.js'), APP_JS);
  symlinkSync(path.join(web, 'secret.txt'), path.join(web, 'root/assets/leak.js.br'));
  symlinkSync(path.join(web, 'secret.txt'), path.join(web, 'root/escape.txt'));
  srv = await startServer({ webRoot: path.join(web, 'root') });
});

after(async () => {
  await srv?.stop();
  rmSync(web, { recursive: true, force: true });
});

describe('envelopes', () => {
  test('unknown API route is a 404 envelope', async () => {
    const r = await srv.api.get('/api/v1/no/such/thing');
    assertError(r, 404, 'NOT_FOUND');
    assert.match(r.headers.get('content-type'), /^application\/json/);
  });

  test('known path with a wrong method is 405 with Allow', async () => {
    const r = await srv.api.req('DELETE', '/api/v1/auth/login');
    assertError(r, 405, 'METHOD_NOT_ALLOWED');
    assert.equal(r.headers.get('allow'), 'POST');
  });

  test('a body that is not JSON is 415; broken JSON is INVALID_JSON; an array is a validation error', async () => {
    assertError(await srv.api.post('/api/v1/auth/login', 'email=a', { headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assertError(await srv.api.post('/api/v1/auth/login', '{"email": "a@b.c",', { headers: { 'content-type': 'application/json' } }), 400, 'INVALID_JSON');
    const e = assertError(await srv.api.post('/api/v1/auth/login', '[1,2]', { headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_ERROR');
    assert.ok(Array.isArray(e.details));
  });

  test('a body over 1 MiB is 413 with Connection: close, and the client sees the answer', async () => {
    const big = '{"x":"' + 'a'.repeat(2 * 1024 * 1024) + '"}';
    const r = await srv.api.post('/api/v1/auth/login', big, { headers: { 'content-type': 'application/json', 'x-request-id': 'big-1' } });
    assertError(r, 413, 'PAYLOAD_TOO_LARGE');
    assert.equal(r.headers.get('connection'), 'close');
    assert.equal(r.headers.get('x-request-id'), 'big-1', 'a refusal carries the request id like every answer');
    // Chunked, with no length announced: refused once the limit is crossed.
    const head = `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = 'a'.repeat(256 * 1024);
    const chunks = [head];
    for (let i = 0; i < 6; i++) chunks.push(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const raw = parseResponse(await rawRequest(srv.port, chunks, { pauseMs: 5 }));
    assert.equal(raw.status, 413);
    assert.match(raw.headers['x-request-id'] ?? '', /^[0-9a-f]{16,}$/);
    // And the server is fine afterwards.
    assert.equal((await srv.api.get('/healthz')).status, 200);
  });

  test('after a 413 for an announced length, the connection closes once that body has arrived', async () => {
    const body = 'a'.repeat(2 * 1024 * 1024);
    const started = Date.now();
    const raw = parseResponse(await rawRequest(srv.port,
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      { timeout: 10000 }));
    assert.equal(raw.status, 413);
    // Not held open for the drain's 5 s time limit: the client waits for nothing more.
    assert.ok(Date.now() - started < 3000, `closed after ${Date.now() - started} ms`);
  });

  test('a malformed request line gets a 400 and a closed connection, not a crash', async () => {
    const raw = parseResponse(await rawRequest(srv.port, 'GARBAGE\x01\x02 / HTTP/9.9\r\n\r\n'));
    assert.equal(raw.status, 400);
    assert.match(raw.headers['x-request-id'] ?? '', /^[0-9a-f]{16,}$/);
    assert.equal((await srv.api.get('/healthz')).status, 200);
  });
});

describe('operations', () => {
  test('healthz and readyz answer', async () => {
    const h = await srv.api.get('/healthz');
    assert.equal(h.status, 200);
    assert.deepEqual(h.json, { status: 'ok' });
    assert.equal((await srv.api.get('/readyz')).status, 200);
  });

  test('X-Request-Id is echoed when sane and generated otherwise', async () => {
    const mine = await srv.api.get('/healthz', { headers: { 'x-request-id': 'trace-42.a:b_c' } });
    assert.equal(mine.headers.get('x-request-id'), 'trace-42.a:b_c');
    const gen = await srv.api.get('/healthz');
    assert.match(gen.headers.get('x-request-id'), /^[0-9a-f]{16,}$/);
    const bad = await srv.api.get('/healthz', { headers: { 'x-request-id': 'has spaces and <tags>' } });
    assert.notEqual(bad.headers.get('x-request-id'), 'has spaces and <tags>');
    const err = await srv.api.get('/api/v1/nope', { headers: { 'x-request-id': 'err-1' } });
    assert.equal(err.headers.get('x-request-id'), 'err-1');
  });

  test('/metrics counts requests by route pattern with a latency histogram', async () => {
    const count = async () => {
      const m = await srv.api.get('/metrics');
      assert.match(m.headers.get('content-type'), /^text\/plain/);
      const line = m.text.split('\n').find((l) => l.startsWith('http_requests_total{method="GET",route="/api/v1/config",status="200"}'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await count();
    await srv.api.get('/api/v1/config');
    await srv.api.get('/api/v1/config');
    assert.equal(await count(), before + 2);
    const m = (await srv.api.get('/metrics')).text;
    assert.match(m, /http_request_duration_seconds_bucket\{method="GET",route="\/api\/v1\/config",le="\+Inf"\} \d+/);
    // A bucket at the orders' p99 target (20 ms), so that an alert can be written against it.
    assert.match(m, /http_request_duration_seconds_bucket\{method="GET",route="\/api\/v1\/config",le="0\.02"\} \d+/);
    // Raw ids never become labels.
    await srv.api.get('/api/v1/ecommerce/products/3f1a2b4c-0000-4000-8000-000000000000');
    assert.doesNotMatch((await srv.api.get('/metrics')).text, /3f1a2b4c-0000/);
  });

  test('GET /api/v1/config tells the currency and services', async () => {
    const d = assertOk(await srv.api.get('/api/v1/config'));
    assert.equal(d.currency, 'KRW');
    assert.equal(d.fractionDigits, 0);
    assert.ok(d.services.includes('auth'));
    // nothing configured: no seller details and no platform zone
    assert.equal(d.timeZone, null);
    assert.ok(Object.values(d.business).every((v) => v === null));
  });

  test('the OpenAPI document is served', async () => {
    const r = await srv.api.get('/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.json.openapi, /^3\./);
    assert.ok(r.json.paths['/api/v1/auth/register']);
  });
});

describe('static files', () => {
  test('serves files with types and caching, and the app shell for app routes', async () => {
    const js = await srv.api.get('/assets/index-abc123.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    assert.match(js.headers.get('cache-control'), /immutable/);
    const css = await srv.api.get('/assets/style-abc123.css');
    assert.match(css.headers.get('content-type'), /^text\/css/);
    const page = await srv.api.get('/crowdfunding/projects/123');
    assert.equal(page.status, 200);
    assert.match(page.text, /app-shell/);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.equal((await srv.api.get('/assets/missing-file.js')).status, 404);
    const again = await srv.api.get('/assets/index-abc123.js', { headers: { 'if-none-match': js.headers.get('etag') } });
    assert.equal(again.status, 304);
  });

  test('sends the precompressed copy a client accepts, with its own ETag and Vary', async () => {
    const p = '/assets/app-abc123.js';
    const plain = await getRaw(srv.port, p);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), APP_JS);
    assert.equal(plain.headers.vary, 'Accept-Encoding');

    const br = await getRaw(srv.port, p, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(br.headers['content-type'], /^text\/javascript/);
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.ok(br.body.length < APP_JS.length / 4, `${br.body.length} bytes`);
    assert.equal(brotliDecompressSync(br.body).toString(), APP_JS);
    assert.notEqual(br.headers.etag, plain.headers.etag);
    assert.equal((await getRaw(srv.port, p, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag })).status, 304);

    const gz = await getRaw(srv.port, p, { 'accept-encoding': 'gzip;q=1.0, br;q=0.5' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), APP_JS);
    assert.equal((await getRaw(srv.port, p, { 'accept-encoding': '*;q=0.1' })).headers['content-encoding'], 'br');

    for (const refused of ['identity', 'br;q=0, gzip;q=0', 'br;q=abc', 'compress', ';;,', '*;q=0']) {
      const r = await getRaw(srv.port, p, { 'accept-encoding': refused });
      assert.equal(r.headers['content-encoding'], undefined, refused);
      assert.equal(r.body.toString(), APP_JS, refused);
    }
    // A copy older than its file is not used; nor is one that leads out of the root.
    const stale = await getRaw(srv.port, '/assets/stale.js', { 'accept-encoding': 'gzip' });
    assert.equal(stale.headers['content-encoding'], undefined);
    assert.equal(stale.body.toString(), APP_JS);
    const leak = await getRaw(srv.port, '/assets/leak.js', { 'accept-encoding': 'br' });
    assert.equal(leak.headers['content-encoding'], undefined);
    assert.doesNotMatch(leak.body.toString(), /TOP-SECRET/);
  });

  test('never serves a file outside the root', async () => {
    const attempts = [
      '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/escape.txt', '/....//secret.txt', '/%00/../secret.txt',
    ];
    for (const p of attempts) {
      const text = await rawRequest(srv.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const r = parseResponse(text);
      assert.ok(r.status === 404 || r.status === 400 || (r.status === 200 && r.body.includes('app-shell')), `${p}: ${r.status}`);
      assert.doesNotMatch(text, /TOP-SECRET|root:x:0/, p);
    }
  });
});

describe('connections', () => {
  test('keep-alive and pipelined requests are answered in order', async () => {
    const req = (id) => `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: p${id}\r\n\r\n`;
    const text = await rawRequest(srv.port, req(1) + req(2) + req(3) + `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: p4\r\nConnection: close\r\n\r\n`);
    const ids = [...text.matchAll(/X-Request-Id: (p\d)/g)].map((m) => m[1]);
    assert.deepEqual(ids, ['p1', 'p2', 'p3', 'p4']);
  });

  test('a slow client holds only its own connection', async () => {
    const sock = net.connect(srv.port, '127.0.0.1');
    await new Promise((r) => sock.on('connect', r));
    sock.write('GET /healthz HTTP/1.1\r\nHo');
    const t0 = Date.now();
    const r = await srv.api.get('/healthz');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 < 1000);
    sock.destroy();
  });
});

describe('rate limiting', () => {
  test('per client address, with Retry-After; X-Forwarded-For only from trusted proxies', async () => {
    const limited = await startServer({ admin: false, env: { O4O_RATE_LIMIT_RPS: '5' } });
    try {
      const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => limited.api.get('/healthz', { headers: { 'x-forwarded-for': `10.0.0.${i}` } })));
      const denied = rs.filter((r) => r.status === 429);
      assert.ok(denied.length >= 15, `only ${denied.length} of 30 refused`);
      assertError(denied[0], 429, 'RATE_LIMITED');
      assert.ok(Number(denied[0].headers.get('retry-after')) >= 1);
    } finally {
      await limited.stop();
    }
    const proxied = await startServer({ admin: false, env: { O4O_RATE_LIMIT_RPS: '5', O4O_TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => proxied.api.get('/healthz', { headers: { 'x-forwarded-for': `203.0.113.${i}` } })));
      assert.equal(rs.filter((r) => r.status === 429).length, 0);
    } finally {
      await proxied.stop();
    }
  });
});

describe('lifecycle', () => {
  test('SIGTERM lets a request already being received finish, then exits 0', async () => {
    const s = await startServer({ admin: false });
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'whatever-password' });
    const half = Math.floor(body.length / 2);
    const pending = rawRequest(s.port, [], {
      timeout: 8000,
      onConnected: async (sock) => {
        sock.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`);
        await new Promise((r) => setTimeout(r, 150));
        s.proc.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 400));
        sock.write(body.slice(half));
      },
    });
    const r = parseResponse(await pending);
    assert.equal(r.status, 401, r.body);
    assert.equal(r.headers.connection, 'close');
    const { code } = await s.exited;
    assert.equal(code, 0);
    await s.stop();
  });

  test('a port in use and an unreachable database end start-up with one clear line', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'o4o-port-'));
      const r = runCli(['serve', '--host', '127.0.0.1', '--port', String(port), '--database', `sqlite:${dir}/o.db`], { timeout: 15000 });
      assert.notEqual(r.status, 0);
      const lines = r.stderr.trim().split('\n').filter((l) => !l.includes('"level":"warn"'));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /port .*in use/);
      rmSync(dir, { recursive: true, force: true });
    } finally {
      blocker.close();
    }
    const t0 = Date.now();
    const r = runCli(['serve', '--port', String(await freePort()), '--database', 'postgresql://nowhere'], { timeout: 15000, env: { O4O_JWT_SECRET: 'y'.repeat(40) } });
    assert.notEqual(r.status, 0);
    assert.ok(Date.now() - t0 < 11000);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /PostgreSQL/);
    const bad = runCli(['serve', '--port', 'eighty']);
    assert.notEqual(bad.status, 0);
    const help = runCli(['users', 'create', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--email/);
  });
});

if (dbKind === 'postgres') {
  describe('readiness', () => {
    test('/readyz turns 503 while PostgreSQL is down and 200 again when it is back', async () => {
      const { privatePostgres } = await import('./lib/private-postgres.mjs');
      const pg = await privatePostgres();
      const s = await startServer({ database: { url: pg.url, drop() {} } });
      try {
        assert.equal((await s.api.get('/readyz')).status, 200);
        pg.stop();
        let status = 0;
        for (let i = 0; i < 50 && status !== 503; i++) {
          status = (await s.api.get('/readyz')).status;
          if (status !== 503) await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(status, 503);
        const e = await s.api.post('/api/v1/auth/login', { email: 'x@y.zz', password: 'whatever-pass' });
        assertError(e, 503, 'SERVICE_UNAVAILABLE');
        pg.start();
        for (let i = 0; i < 50 && status !== 200; i++) {
          status = (await s.api.get('/readyz')).status;
          if (status !== 200) await new Promise((r) => setTimeout(r, 200));
        }
        assert.equal(status, 200);
      } finally {
        await s.stop();
        pg.destroy();
      }
    });
  });
}
