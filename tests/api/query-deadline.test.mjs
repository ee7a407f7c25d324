// The query deadline holds while the database itself makes a request wait (issue 19, the contract's
// "Server behaviour"): another process holds the lock a request needs (an open write transaction on
// SQLite, an exclusive table lock on PostgreSQL). The request answers 503 with Retry-After within
// O4O_QUERY_TIMEOUT_MS (default 2000), not after the lock holder lets go; and SIGTERM arriving
// meanwhile still ends the process, exit 0, within its 10 s, the request answered.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, dbKind } from './lib/harness.mjs';
import { register, assertOk } from './lib/fixtures.mjs';
import { rawRequest, parseResponse } from './lib/raw.mjs';

// Another process that takes the lock and keeps it until release(); resolves once it holds it.
function holdLock(db) {
  const sqlite = db.url.startsWith('sqlite:');
  const child = sqlite
    ? spawn('sqlite3', ['-cmd', '.timeout 5000', db.url.slice('sqlite:'.length)], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn('psql', [db.url, '-qAt'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.write(sqlite
    ? "BEGIN IMMEDIATE; SELECT 'held';\n"
    : "BEGIN; LOCK TABLE forum_posts IN ACCESS EXCLUSIVE MODE; SELECT 'held';\n");
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the lock was not taken')), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('held')) {
        clearTimeout(timer);
        resolve({ release() { child.stdin.end('ROLLBACK;\n'); setTimeout(() => child.kill(), 2000).unref(); } });
      }
    });
  });
}

// A request that needs the lock: a new post (a write on SQLite, where readers never wait; on
// PostgreSQL reading the posts already waits for the exclusive lock).
const blockedRequest = (token) => {
  const body = JSON.stringify({ title: 'Waits', content: 'for the lock' });
  return dbKind === 'sqlite'
    ? `POST /api/v1/forum/posts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    : 'GET /api/v1/forum/posts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
};

describe('a request waiting for a lock held by another process', () => {
  let server, user;
  before(async () => {
    server = await startServer({ admin: false });
    user = await register(server.api);
    assertOk(await server.api.post('/api/v1/forum/posts', { title: 'First', content: 'x' }, { token: user.token }), 201);
  });
  after(async () => { await server?.stop(); });

  it('answers 503 with Retry-After by the query deadline (2 s), then the server serves again', async () => {
    const lock = await holdLock(server.db);
    try {
      const start = performance.now();
      const r = parseResponse(await rawRequest(server.port, blockedRequest(user.token), { timeout: 20000 }));
      const ms = performance.now() - start;
      assert.equal(r.status, 503, r.body);
      assert.equal(JSON.parse(r.body).error.code, 'SERVICE_UNAVAILABLE');
      assert.ok(Number(r.headers['retry-after']) >= 1);
      assert.ok(ms < 4000, `answered after ${Math.round(ms)} ms`);
    } finally {
      lock.release();
    }
    await new Promise((r) => setTimeout(r, 300));
    assertOk(await server.api.post('/api/v1/forum/posts', { title: 'After', content: 'x' }, { token: user.token }), 201);
  });
});

describe('SIGTERM while a request waits for a lock', () => {
  it('exits 0 within 10 s, the waiting request answered with Connection: close', async () => {
    // A deadline longer than the grace period: the shutdown itself must end the wait.
    const server = await startServer({ admin: false, env: { O4O_QUERY_TIMEOUT_MS: '60000' } });
    const user = await register(server.api);
    assertOk(await server.api.post('/api/v1/forum/posts', { title: 'First', content: 'x' }, { token: user.token }), 201);
    const lock = await holdLock(server.db);
    try {
      let sent;
      const answer = rawRequest(server.port, [], {
        timeout: 20000,
        onConnected: async (sock) => {
          sock.write(blockedRequest(user.token));
          sent = performance.now();
          await new Promise((r) => setTimeout(r, 500));
          server.proc.kill('SIGTERM');
        },
      });
      const { code } = await server.exited;
      const ms = performance.now() - sent;
      assert.equal(code, 0);
      assert.ok(ms < 10500, `exited ${Math.round(ms)} ms after the request`);
      const r = parseResponse(await answer);
      assert.equal(r.status, 503, r.body);
      assert.match(r.headers.connection ?? '', /close/i);
    } finally {
      lock.release();
      await server.stop();
    }
  });
});
