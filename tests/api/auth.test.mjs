// /api/v1/auth: register, login, refresh (rotation and reuse detection), logout, me, and the
// access-token checks (tampered, alg none, expired, algorithm confusion).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer } from './lib/harness.mjs';
import { register, uniqueEmail, assertOk, assertError, PASSWORD } from './lib/fixtures.mjs';

// The secret harness.mjs gives the server (baseEnv), so the tests can sign their own tokens.
const TEST_SECRET = process.env.O4O_JWT_SECRET || 'test-secret-' + 'x'.repeat(40);
const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');

function decodeJwt(token) {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

function signJwt(payload, { alg = 'HS256', secret = TEST_SECRET } = {}) {
  const head = b64({ alg, typ: 'JWT' });
  const body = b64(payload);
  const hmac = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  const sig = hmac ? createHmac(hmac, secret).update(`${head}.${body}`).digest('base64url') : '';
  return `${head}.${body}.${sig}`;
}

function claimsFor(user, { ttl = 900 } = {}) {
  const iat = Math.floor(Date.now() / 1000);
  return { userId: user.id, email: user.email, role: user.role, iat, exp: iat + ttl };
}

function assertUserShape(user) {
  assert.deepEqual(Object.keys(user).sort(), ['createdAt', 'email', 'emailVerified', 'id', 'locale', 'name', 'notifyNewPledges', 'notifyPaidOrders', 'role', 'updatedAt']);
  assert.match(user.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.match(user.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(user.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
}

describe('auth API', () => {
  let server;
  let api;
  let alice; // a plain user registered once and reused

  before(async () => {
    server = await startServer();
    api = server.api;
    alice = await register(api, { name: 'Alice' });
  });
  after(async () => { await server?.stop(); });

  describe('POST /register', () => {
    it('creates a user and answers 201 with user, tokens and expiresIn', async () => {
      const email = uniqueEmail('reg');
      const r = await api.post('/api/v1/auth/register', { email: `  ${email.toUpperCase()} `, password: PASSWORD, name: '  Bob  ' });
      const data = assertOk(r, 201);
      assert.deepEqual(Object.keys(data).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user']);
      assertUserShape(data.user);
      assert.equal(data.user.email, email, 'email is trimmed and lowercased');
      assert.equal(data.user.name, 'Bob', 'name is trimmed');
      assert.equal(data.user.role, 'user', 'role defaults to user');
      assert.equal(data.expiresIn, 900);
      assert.ok(data.refreshToken.length >= 43, 'refresh token carries at least 256 bits');
      const { header, payload } = decodeJwt(data.accessToken);
      assert.equal(header.alg, 'HS256');
      assert.equal(payload.userId, data.user.id);
      assert.equal(payload.email, email);
      assert.equal(payload.role, 'user');
      assert.equal(payload.exp - payload.iat, 900);
      assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 60);
      assert.doesNotMatch(r.text, /argon2|password/i, 'no password or hash in the answer');
    });

    it('accepts role creator', async () => {
      const r = await api.post('/api/v1/auth/register', { email: uniqueEmail('cr'), password: PASSWORD, name: 'Cre', role: 'creator' });
      assert.equal(assertOk(r, 201).user.role, 'creator');
    });

    it('refuses role admin with 400', async () => {
      const email = uniqueEmail('adm');
      const r = await api.post('/api/v1/auth/register', { email, password: PASSWORD, name: 'Mallory', role: 'admin' });
      const e = assertError(r, 400, 'VALIDATION_ERROR');
      assert.ok(e.details.some((d) => d.field === 'role'), r.text);
      // and nothing was created: the email is still free
      const again = await api.post('/api/v1/auth/register', { email, password: PASSWORD, name: 'Mallory' });
      assert.equal(assertOk(again, 201).user.role, 'user');
    });

    it('refuses an unknown role', async () => {
      const r = await api.post('/api/v1/auth/register', { email: uniqueEmail(), password: PASSWORD, name: 'X', role: 'superuser' });
      assertError(r, 400, 'VALIDATION_ERROR');
    });

    it('answers 409 EMAIL_TAKEN for an existing email in another case', async () => {
      const r = await api.post('/api/v1/auth/register', { email: alice.email.toUpperCase(), password: PASSWORD, name: 'Alice 2' });
      assertError(r, 409, 'EMAIL_TAKEN');
    });

    it('lets exactly one of parallel registrations of one email succeed', async () => {
      const email = uniqueEmail('race');
      const rs = await Promise.all([0, 1, 2, 3].map((i) =>
        api.post('/api/v1/auth/register', { email: i % 2 ? email.toUpperCase() : email, password: PASSWORD, name: `Racer ${i}` })));
      assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409, 409, 409], rs.map((r) => r.text).join('\n'));
      for (const r of rs.filter((x) => x.status === 409)) assertError(r, 409, 'EMAIL_TAKEN');
    });

    it('validates every field and lists the problems', async () => {
      const r = await api.post('/api/v1/auth/register', { email: 'not-an-email', password: 'short', name: '   ' });
      const e = assertError(r, 400, 'VALIDATION_ERROR');
      assert.deepEqual(e.details.map((d) => d.field).sort(), ['email', 'name', 'password']);
      assertError(await api.post('/api/v1/auth/register', {}), 400, 'VALIDATION_ERROR');
      assertError(await api.post('/api/v1/auth/register', { email: uniqueEmail(), password: PASSWORD, name: 'x'.repeat(101) }), 400, 'VALIDATION_ERROR');
      assertError(await api.post('/api/v1/auth/register', { email: uniqueEmail(), password: 12345678, name: 'N' }), 400, 'VALIDATION_ERROR');
      assertError(await api.post('/api/v1/auth/register', '{"email":', { headers: { 'content-type': 'application/json' } }), 400, 'INVALID_JSON');
      assertError(await api.post('/api/v1/auth/register', '[]', { headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_ERROR');
    });

    it('refuses passwords shorter than 8 or longer than 128 characters', async () => {
      for (const password of ['Ab3$xyz', 'Ab3$'.repeat(32) + 'x']) {
        const r = await api.post('/api/v1/auth/register', { email: uniqueEmail(), password, name: 'N' });
        const e = assertError(r, 400, 'VALIDATION_ERROR');
        assert.deepEqual(e.details.map((d) => d.field), ['password']);
      }
    });

    it('refuses common passwords such as password123, in any case', async () => {
      for (const password of ['password123', 'PassWord123', 'qwertyuiop']) {
        const r = await api.post('/api/v1/auth/register', { email: uniqueEmail(), password, name: 'N' });
        const e = assertError(r, 400, 'VALIDATION_ERROR');
        assert.equal(e.details[0].field, 'password');
        assert.match(e.details[0].message, /common/i);
      }
    });

    it('counts characters, not bytes, and compares passwords exactly', async () => {
      const password = '비밀번호를잊지마'; // 8 characters, 24 bytes
      const email = uniqueEmail('kr');
      assertOk(await api.post('/api/v1/auth/register', { email, password, name: '한국어 이름' }), 201);
      assertOk(await api.post('/api/v1/auth/login', { email, password }));
      for (const wrong of [password + ' ', ' ' + password, password.slice(0, 7)]) {
        assertError(await api.post('/api/v1/auth/login', { email, password: wrong }), 401, 'INVALID_CREDENTIALS');
      }
      assertError(await api.post('/api/v1/auth/login', { email: alice.email, password: PASSWORD.toUpperCase() }), 401, 'INVALID_CREDENTIALS');
    });
  });

  describe('POST /login', () => {
    it('answers 200 with user and tokens; the email compares case-insensitively', async () => {
      const r = await api.post('/api/v1/auth/login', { email: `  ${alice.email.toUpperCase()}`, password: PASSWORD });
      const data = assertOk(r);
      assert.deepEqual(Object.keys(data).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user']);
      assert.deepEqual(data.user, alice.user);
      assert.equal(data.expiresIn, 900);
      assert.notEqual(data.refreshToken, alice.refreshToken);
      assert.doesNotMatch(r.text, /argon2|password/i);
    });

    it('gives the same answer for a wrong password and an unknown email', async () => {
      const wrong = await api.post('/api/v1/auth/login', { email: alice.email, password: 'Wrong-Password-1' });
      const unknown = await api.post('/api/v1/auth/login', { email: uniqueEmail('nobody'), password: 'Wrong-Password-1' });
      const e1 = assertError(wrong, 401, 'INVALID_CREDENTIALS');
      const e2 = assertError(unknown, 401, 'INVALID_CREDENTIALS');
      assert.deepEqual(e1, e2);
      assert.equal(wrong.headers.get('content-type'), unknown.headers.get('content-type'));
    });

    it('takes about as long for an unknown email as for a wrong password (no enumeration by timing)', async () => {
      const victim = await register(api, { name: 'Timing' });
      const timed = async (email) => {
        const t0 = performance.now();
        assertError(await api.post('/api/v1/auth/login', { email, password: 'Wrong-Password-1' }), 401, 'INVALID_CREDENTIALS');
        return performance.now() - t0;
      };
      const median = (xs) => xs.sort((a, b) => a - b)[1];
      const wrong = [];
      const unknown = [];
      for (let i = 0; i < 3; i++) {
        wrong.push(await timed(victim.email));
        unknown.push(await timed(uniqueEmail('ghost')));
      }
      const [w, u] = [median(wrong), median(unknown)];
      // Both run one Argon2id verification; without the dummy hash an unknown email would answer
      // in about a millisecond. The bounds are loose because the test host is shared.
      assert.ok(u > w / 3 && w > u / 3, `wrong password ${w.toFixed(1)} ms, unknown email ${u.toFixed(1)} ms`);
    });

    it('answers 400 when a field is missing', async () => {
      assertError(await api.post('/api/v1/auth/login', { email: alice.email }), 400, 'VALIDATION_ERROR');
      assertError(await api.post('/api/v1/auth/login', { password: PASSWORD }), 400, 'VALIDATION_ERROR');
    });
  });

  describe('GET /me and access tokens', () => {
    it('answers the current user', async () => {
      const r = await api.get('/api/v1/auth/me', { token: alice.token });
      assert.deepEqual(assertOk(r), alice.user);
    });

    it('answers 401 without a token or with a malformed one', async () => {
      assertError(await api.get('/api/v1/auth/me'), 401, 'UNAUTHORIZED');
      assertError(await api.get('/api/v1/auth/me', { token: 'not.a.jwt' }), 401, 'UNAUTHORIZED');
      assertError(await api.get('/api/v1/auth/me', { headers: { authorization: `Basic ${alice.token}` } }), 401, 'UNAUTHORIZED');
    });

    it('accepts a token the test signs with the server secret (so the checks below are meaningful)', async () => {
      const token = signJwt(claimsFor(alice.user));
      assert.deepEqual(assertOk(await api.get('/api/v1/auth/me', { token })), alice.user);
    });

    it('rejects an expired token', async () => {
      const token = signJwt(claimsFor(alice.user, { ttl: -60 }));
      assertError(await api.get('/api/v1/auth/me', { token }), 401, 'UNAUTHORIZED');
    });

    it('rejects a tampered token', async () => {
      const [h, , s] = alice.token.split('.');
      const forged = `${h}.${b64({ ...decodeJwt(alice.token).payload, role: 'admin' })}.${s}`;
      assertError(await api.get('/api/v1/auth/me', { token: forged }), 401, 'UNAUTHORIZED');
      assertError(await api.get('/api/v1/users', { token: forged }), 401, 'UNAUTHORIZED');
      const flipped = alice.token.slice(0, -2) + (alice.token.endsWith('AA') ? 'BB' : 'AA');
      assertError(await api.get('/api/v1/auth/me', { token: flipped }), 401, 'UNAUTHORIZED');
    });

    it('rejects alg none, other algorithms and other secrets', async () => {
      const claims = claimsFor(alice.user);
      for (const token of [
        signJwt(claims, { alg: 'none' }),
        signJwt(claims, { alg: 'none' }).slice(0, -1) + '.',
        signJwt(claims, { alg: 'HS512' }),
        signJwt(claims, { secret: 'another-secret-' + 'y'.repeat(40) }),
      ]) {
        assertError(await api.get('/api/v1/auth/me', { token }), 401, 'UNAUTHORIZED');
      }
    });

    it('rejects a validly signed token of a user that does not exist', async () => {
      const token = signJwt(claimsFor({ ...alice.user, id: '00000000-0000-4000-8000-000000000000' }));
      assertError(await api.get('/api/v1/auth/me', { token }), 401, 'UNAUTHORIZED');
    });
  });

  describe('POST /refresh', () => {
    it('rotates: a new pair, and the used token is spent', async () => {
      const s = await api.post('/api/v1/auth/login', { email: alice.email, password: PASSWORD });
      const r0 = assertOk(s).refreshToken;
      const r = await api.post('/api/v1/auth/refresh', { refreshToken: r0 });
      const data = assertOk(r);
      assert.deepEqual(Object.keys(data).sort(), ['accessToken', 'expiresIn', 'refreshToken']);
      assert.notEqual(data.refreshToken, r0);
      assert.equal(data.expiresIn, 900);
      assert.deepEqual(assertOk(await api.get('/api/v1/auth/me', { token: data.accessToken })), alice.user);
      assertError(await api.post('/api/v1/auth/refresh', { refreshToken: r0 }), 401, 'UNAUTHORIZED');
    });

    it('revokes every descendant when a spent token is presented again', async () => {
      const r0 = assertOk(await api.post('/api/v1/auth/login', { email: alice.email, password: PASSWORD })).refreshToken;
      const r1 = assertOk(await api.post('/api/v1/auth/refresh', { refreshToken: r0 })).refreshToken;
      const r2 = assertOk(await api.post('/api/v1/auth/refresh', { refreshToken: r1 })).refreshToken;
      // an unrelated session of the same user is not touched
      const other = assertOk(await api.post('/api/v1/auth/login', { email: alice.email, password: PASSWORD })).refreshToken;
      assertError(await api.post('/api/v1/auth/refresh', { refreshToken: r0 }), 401, 'UNAUTHORIZED');
      assertError(await api.post('/api/v1/auth/refresh', { refreshToken: r2 }), 401, 'UNAUTHORIZED');
      assertOk(await api.post('/api/v1/auth/refresh', { refreshToken: other }));
    });

    it('lets exactly one of parallel refreshes of one token win', async () => {
      const r0 = assertOk(await api.post('/api/v1/auth/login', { email: alice.email, password: PASSWORD })).refreshToken;
      const rs = await Promise.all(Array.from({ length: 6 }, () => api.post('/api/v1/auth/refresh', { refreshToken: r0 })));
      const statuses = rs.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 401, 401, 401, 401, 401], rs.map((r) => r.text).join('\n'));
    });

    it('answers 401 for an unknown token and 400 without one', async () => {
      assertError(await api.post('/api/v1/auth/refresh', { refreshToken: 'f'.repeat(64) }), 401, 'UNAUTHORIZED');
      assertError(await api.post('/api/v1/auth/refresh', {}), 400, 'VALIDATION_ERROR');
    });
  });

  describe('POST /logout', () => {
    it('needs a bearer token', async () => {
      assertError(await api.post('/api/v1/auth/logout', { refreshToken: alice.refreshToken }), 401, 'UNAUTHORIZED');
    });

    it('ends the session: that refresh token no longer refreshes', async () => {
      const s = assertOk(await api.post('/api/v1/auth/login', { email: alice.email, password: PASSWORD }));
      const r = await api.post('/api/v1/auth/logout', { refreshToken: s.refreshToken }, { token: s.accessToken });
      assert.equal(assertOk(r), null);
      assertError(await api.post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }), 401, 'UNAUTHORIZED');
    });

    it("does not end another user's session", async () => {
      const s = assertOk(await api.post('/api/v1/auth/login', { email: alice.email, password: PASSWORD }));
      const bob = await register(api, { name: 'Bob' });
      assertOk(await api.post('/api/v1/auth/logout', { refreshToken: s.refreshToken }, { token: bob.token }));
      assertOk(await api.post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }));
    });
  });
});
