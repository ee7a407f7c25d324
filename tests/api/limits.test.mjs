// Per-address exhaustion limits with their defaults on (issue 19, the contract's "Server
// behaviour"): connections per client address, password hashing per address. Source addresses
// 127.0.0.x play separate clients. Every wait is bounded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startServer } from './lib/harness.mjs';
import { PASSWORD, uniqueEmail } from './lib/fixtures.mjs';

const NEW_PASSWORD = 'Another-Battery-Staple9';

// A socket from `localAddress`, resolved once connected; `closed` resolves when the server ends it.
function connectFrom(port, localAddress) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress });
    let closedResolve;
    sock.closedByServer = new Promise((r) => { closedResolve = r; });
    sock.on('close', () => closedResolve(true));
    sock.on('error', () => {});
    sock.once('connect', () => resolve(sock));
    sock.once('error', reject);
  });
}

// GET /healthz on an open socket; resolves with the status (0 when the socket closed instead).
function healthz(sock) {
  return new Promise((resolve) => {
    let data = '';
    const timer = setTimeout(() => resolve(0), 5000);
    sock.on('data', (d) => {
      data += d;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m && data.includes('\r\n\r\n')) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    sock.once('close', () => { clearTimeout(timer); resolve(0); });
    sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}

const closesSoon = (sock, ms = 3000) =>
  Promise.race([sock.closedByServer, new Promise((r) => setTimeout(() => r(false), ms))]);

describe('connections per client address (default 256)', () => {
  let server;
  before(async () => { server = await startServer({ admin: false, defaultLimits: true }); });
  after(async () => { await server?.stop(); });

  it('the 257th connection from one address is closed at once; others and the first 256 are served', async () => {
    const socks = [];
    try {
      for (let i = 0; i < 256; i++) socks.push(await connectFrom(server.port, '127.0.0.2'));
      const extra = await connectFrom(server.port, '127.0.0.2');
      socks.push(extra);
      assert.equal(await closesSoon(extra), true, 'the 257th connection stayed open');
      assert.equal(await healthz(socks[0]), 200);
      assert.equal(await healthz(socks[255]), 200);
      const other = await connectFrom(server.port, '127.0.0.3');
      socks.push(other);
      assert.equal(await healthz(other), 200, 'another address is still served');
      // A slot freed is a slot again.
      socks[1].destroy();
      await new Promise((r) => setTimeout(r, 200));
      const again = await connectFrom(server.port, '127.0.0.2');
      socks.push(again);
      assert.equal(await healthz(again), 200);
    } finally {
      for (const s of socks) s.destroy();
    }
  });
});

describe('trusted proxies are exempt from the per-address connection limit', () => {
  let server;
  before(async () => {
    server = await startServer({ admin: false, env: { O4O_MAX_CONNECTIONS_PER_IP: '2', O4O_TRUSTED_PROXIES: '127.0.0.4' } });
  });
  after(async () => { await server?.stop(); });

  it('a proxy holds more connections than the limit; a plain client does not', async () => {
    const socks = [];
    try {
      for (let i = 0; i < 5; i++) socks.push(await connectFrom(server.port, '127.0.0.4'));
      for (const s of socks) assert.equal(await healthz(s), 200);
      const plain = [];
      for (let i = 0; i < 3; i++) plain.push(await connectFrom(server.port, '127.0.0.5'));
      socks.push(...plain);
      assert.equal(await closesSoon(plain[2]), true);
      assert.equal(await healthz(plain[0]), 200);
    } finally {
      for (const s of socks) s.destroy();
    }
  });
});

// A JSON request from `localAddress` (with a bearer token when given); resolves with
// { status, headers, body }.
function requestFrom(port, localAddress, method, path, body, token) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {};
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port, localAddress, method, path, agent: false, headers },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

describe('password hashing per client address (default 60 a minute)', () => {
  let server;
  before(async () => { server = await startServer({ admin: false, defaultLimits: true, env: { O4O_RATE_LIMIT_RPS: '0' } }); });
  after(async () => { await server?.stop(); });

  it('the 61st hashing request from one address in a minute is 429 with Retry-After; others pass', async () => {
    // Ill-formed bodies are answered without hashing, but count all the same: the limit is on the route.
    const paths = ['/api/v1/auth/login', '/api/v1/auth/register'];
    for (let i = 0; i < 60; i++) {
      const r = await requestFrom(server.port, '127.0.0.8', 'POST', paths[i % 2], {});
      assert.equal(r.status, 400, `request ${i + 1}: ${r.body}`);
    }
    const limited = await requestFrom(server.port, '127.0.0.8', 'POST', '/api/v1/auth/login', {});
    assert.equal(limited.status, 429);
    assert.equal(JSON.parse(limited.body).error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    // Every route that hashes or checks a password shares it: a password reset, and a password or
    // email change (refused before its bearer is looked at).
    const someone = '/api/v1/users/00000000-0000-4000-8000-000000000000';
    assert.equal((await requestFrom(server.port, '127.0.0.8', 'POST', '/api/v1/auth/password/reset', {})).status, 429);
    assert.equal((await requestFrom(server.port, '127.0.0.8', 'PUT', someone, { password: NEW_PASSWORD })).status, 429);
    assert.equal((await requestFrom(server.port, '127.0.0.8', 'PUT', someone,
      { email: 'new@example.com', currentPassword: PASSWORD })).status, 429);
    // A PUT that hashes nothing is not limited: it goes on to its bearer check.
    assert.equal((await requestFrom(server.port, '127.0.0.8', 'PUT', someone, { locale: 'en' })).status, 401);
    // Other routes from that address, and hashing routes from another address, are not limited.
    assert.equal((await requestFrom(server.port, '127.0.0.8', 'GET', '/api/v1/config')).status, 200);
    assert.equal((await requestFrom(server.port, '127.0.0.9', 'POST', '/api/v1/auth/login', {})).status, 400);
    assert.equal((await requestFrom(server.port, '127.0.0.9', 'PUT', someone, { password: NEW_PASSWORD })).status, 401);
  });
});

describe('PUT /users/:id counts toward the hashing limit only when it hashes', () => {
  const LIMIT = 5;
  let server;
  before(async () => {
    server = await startServer({ admin: false, defaultLimits: true,
      env: { O4O_RATE_LIMIT_RPS: '0', O4O_PASSWORD_HASH_PER_MIN: String(LIMIT) } });
  });
  after(async () => { await server?.stop(); });

  it('language, name and notification changes beyond the limit all pass; password changes are 429 at the limit', async () => {
    // The account is made from another address, so that its own hashing is not counted here.
    const email = uniqueEmail('hashlimit');
    const made = await requestFrom(server.port, '127.0.0.20', 'POST', '/api/v1/auth/register',
      { email, password: PASSWORD, name: 'Hash Limit' });
    assert.equal(made.status, 201, made.body);
    const { user, accessToken } = JSON.parse(made.body).data;
    const me = `/api/v1/users/${user.id}`;
    const from = (body) => requestFrom(server.port, '127.0.0.21', 'PUT', me, body, accessToken);

    for (let i = 0; i < LIMIT * 4; i++) {
      const changes = [{ locale: i % 2 ? 'ko' : 'en' }, { name: `Hash Limit ${i}` }, { notifyNewPledges: i % 2 === 0 },
        { email, locale: 'en' }];  // the same email is no change, so no currentPassword is needed
      const r = await from(changes[i % changes.length]);
      assert.equal(r.status, 200, `change ${i + 1}: ${r.body}`);
    }
    assert.equal(JSON.parse((await from({ locale: 'ko' })).body).data.locale, 'ko');

    // A password change hashes: the limit's worth pass, then 429 with Retry-After.
    const passwords = [PASSWORD, NEW_PASSWORD];
    for (let i = 0; i < LIMIT; i++) {
      const r = await from({ currentPassword: passwords[i % 2], password: passwords[(i + 1) % 2] });
      assert.equal(r.status, 200, `password change ${i + 1}: ${r.body}`);
    }
    const limited = await from({ currentPassword: passwords[LIMIT % 2], password: passwords[(LIMIT + 1) % 2] });
    assert.equal(limited.status, 429, limited.body);
    assert.equal(JSON.parse(limited.body).error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    // Switching the language from that address still works meanwhile.
    assert.equal((await from({ locale: 'en' })).status, 200);
  });
});
