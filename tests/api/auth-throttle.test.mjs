// Login throttling per account and client address: once O4O_LOGIN_MAX_FAILURES failures are in
// the window, every login for that account from that address answers 429 with Retry-After — the
// right password included — until the window frees. A wrong currentPassword on a password or email
// change (PUT /users/:id) is a failed login for the same throttle (the contract's "Server
// behaviour"), and the change is refused the same way while the account is throttled.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { register, uniqueEmail, assertOk, assertError, PASSWORD } from './lib/fixtures.mjs';

const MAX_FAILURES = 3;
const WINDOW_SECONDS = 6;
const login = (api, email, password) => api.post('/api/v1/auth/login', { email, password });
const NEW_PASSWORD = 'Brand-New-Passw0rd!';
// The two changes that ask for the current password.
const changes = {
  'a password change': (api, u, currentPassword) =>
    api.put(`/api/v1/users/${u.user.id}`, { password: NEW_PASSWORD, currentPassword }, { token: u.token }),
  'an email change': (api, u, currentPassword) =>
    api.put(`/api/v1/users/${u.user.id}`, { email: uniqueEmail('moved'), currentPassword }, { token: u.token }),
};

// The login throttle's answer: 429 RATE_LIMITED with a Retry-After inside the window.
function assertThrottled(res) {
  assertError(res, 429, 'RATE_LIMITED');
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= WINDOW_SECONDS, `Retry-After ${retryAfter}`);
}

describe('login throttling', () => {
  let server;
  let api;

  before(async () => {
    server = await startServer({
      admin: false,
      env: { O4O_LOGIN_MAX_FAILURES: String(MAX_FAILURES), O4O_LOGIN_WINDOW_SECONDS: String(WINDOW_SECONDS) },
    });
    api = server.api;
  });
  after(async () => { await server?.stop(); });

  it('answers 429 with Retry-After once the limit is reached, the right password included, until the window ends', async () => {
    const u = await register(api);
    for (let i = 0; i < MAX_FAILURES; i++) {
      assertError(await login(api, u.email, 'Wrong-Password-' + i), 401, 'INVALID_CREDENTIALS');
    }
    const blocked = await login(api, u.email, PASSWORD);
    assertError(blocked, 429, 'RATE_LIMITED');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= WINDOW_SECONDS, `Retry-After ${retryAfter}`);
    // the email in another case is the same account
    assertError(await login(api, u.email.toUpperCase(), PASSWORD), 429, 'RATE_LIMITED');
    // another account from the same address is not affected
    const other = await register(api);
    assertOk(await login(api, other.email, PASSWORD));

    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 300));
    assertOk(await login(api, u.email, PASSWORD));
  });

  it('throttles an unknown email the same way', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 0; i < MAX_FAILURES; i++) {
      assertError(await login(api, email, 'Wrong-Password-' + i), 401, 'INVALID_CREDENTIALS');
    }
    assertError(await login(api, email, 'Wrong-Password-x'), 429, 'RATE_LIMITED');
  });

  it('counts parallel attempts: no more than the limit get a password check', async () => {
    const u = await register(api);
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => login(api, u.email, 'Wrong-Password-' + i)));
    const statuses = rs.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, MAX_FAILURES, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 8 - MAX_FAILURES, statuses.join(','));
  });

  it('forgets earlier failures after a successful login', async () => {
    const u = await register(api);
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      assertError(await login(api, u.email, 'Wrong-Password-' + i), 401, 'INVALID_CREDENTIALS');
    }
    assertOk(await login(api, u.email, PASSWORD));
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      assertError(await login(api, u.email, 'Wrong-Password-' + i), 401, 'INVALID_CREDENTIALS');
    }
    assertOk(await login(api, u.email, PASSWORD));
  });

  for (const [what, change] of Object.entries(changes)) {
    it(`counts a wrong currentPassword on ${what} as a failed login: then login with the right password is 429`, async () => {
      const u = await register(api);
      for (let i = 0; i < MAX_FAILURES; i++) {
        const e = assertError(await change(api, u, 'Wrong-Password-' + i), 400, 'VALIDATION_ERROR');
        assert.equal(e.details[0].field, 'currentPassword');
      }
      assertThrottled(await login(api, u.email, PASSWORD));
      // the change itself is refused the same way, the right current password included
      assertThrottled(await change(api, u, PASSWORD));
      const me = assertOk(await api.get('/api/v1/auth/me', { token: u.token }));
      assert.equal(me.email, u.email, 'nothing changed');
    });

    it(`refuses ${what} with the right currentPassword while failed logins throttle the account`, async () => {
      const u = await register(api);
      for (let i = 0; i < MAX_FAILURES; i++) {
        assertError(await login(api, u.email, 'Wrong-Password-' + i), 401, 'INVALID_CREDENTIALS');
      }
      assertThrottled(await change(api, u, PASSWORD));
      assertThrottled(await change(api, u, 'Wrong-Password-x'));
    });
  }

  it('forgets earlier failures after a right currentPassword, as after a successful login', async () => {
    const u = await register(api);
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      assertError(await login(api, u.email, 'Wrong-Password-' + i), 401, 'INVALID_CREDENTIALS');
    }
    assertOk(await changes['a password change'](api, u, PASSWORD));
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      assertError(await login(api, u.email, 'Wrong-Password-' + i), 401, 'INVALID_CREDENTIALS');
    }
    assertOk(await login(api, u.email, NEW_PASSWORD));
  });
});
