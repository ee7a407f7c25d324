// /api/v1/users: admin listing with search and pagination; self-or-admin read, update, delete.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN } from './lib/harness.mjs';
import { register, loginAdmin, uniqueEmail, assertOk, assertError, PASSWORD } from './lib/fixtures.mjs';

const NEW_PASSWORD = 'Another-Long-Pass-42';
const login = (api, email, password) => api.post('/api/v1/auth/login', { email, password });

describe('users API', () => {
  let server;
  let api;
  let admin;
  let userA;
  let userB;

  before(async () => {
    server = await startServer();
    api = server.api;
    [admin, userA, userB] = await Promise.all([
      loginAdmin(api),
      register(api, { name: 'Alpha Tester', email: uniqueEmail('alpha') }),
      register(api, { name: 'Beta Tester', email: uniqueEmail('beta') }),
    ]);
  });
  after(async () => { await server?.stop(); });

  describe('GET /users', () => {
    it('lists users for an admin, paginated', async () => {
      const data = assertOk(await api.get('/api/v1/users', { token: admin.token }));
      assert.deepEqual(Object.keys(data).sort(), ['items', 'limit', 'page', 'total']);
      assert.equal(data.page, 1);
      assert.equal(data.limit, 20);
      assert.ok(data.total >= 3);
      const emails = data.items.map((u) => u.email);
      for (const e of [ADMIN.email, userA.email, userB.email]) assert.ok(emails.includes(e), e);
      for (const u of data.items) {
        assert.deepEqual(Object.keys(u).sort(), ['createdAt', 'email', 'emailVerified', 'id', 'locale', 'name', 'notifyNewPledges', 'notifyPaidOrders', 'role', 'updatedAt']);
      }
      const p1 = assertOk(await api.get('/api/v1/users?page=1&limit=2', { token: admin.token }));
      const p2 = assertOk(await api.get('/api/v1/users?page=2&limit=2', { token: admin.token }));
      assert.equal(p1.items.length, 2);
      assert.equal(p1.total, data.total);
      assert.equal(p2.page, 2);
      const ids = [...p1.items, ...p2.items].map((u) => u.id);
      assert.equal(new Set(ids).size, ids.length, 'pages do not overlap');
      assert.deepEqual(ids, data.items.slice(0, ids.length).map((u) => u.id), 'a stable order');
    });

    it('searches email or name with ?q=, case-insensitively', async () => {
      const byName = assertOk(await api.get('/api/v1/users?q=ALPHA%20tes', { token: admin.token }));
      assert.deepEqual(byName.items.map((u) => u.id), [userA.user.id]);
      assert.equal(byName.total, 1);
      const byEmail = assertOk(await api.get(`/api/v1/users?q=${encodeURIComponent(userB.email.slice(0, 12))}`, { token: admin.token }));
      assert.deepEqual(byEmail.items.map((u) => u.id), [userB.user.id]);
      const both = assertOk(await api.get('/api/v1/users?q=tester', { token: admin.token }));
      assert.equal(both.total, 2);
      const none = assertOk(await api.get('/api/v1/users?q=%25_nothing', { token: admin.token }));
      assert.deepEqual(none, { items: [], page: 1, limit: 20, total: 0 });
    });

    it('is for admins only', async () => {
      assertError(await api.get('/api/v1/users', { token: userA.token }), 403, 'FORBIDDEN');
      assertError(await api.get('/api/v1/users'), 401, 'UNAUTHORIZED');
    });

    it('answers 400 for a page or limit out of range', async () => {
      for (const q of ['page=0', 'limit=0', 'limit=101', 'page=abc']) {
        assertError(await api.get(`/api/v1/users?${q}`, { token: admin.token }), 400, 'VALIDATION_ERROR');
      }
    });
  });

  describe('GET /users/:id', () => {
    it('answers self and admin', async () => {
      assert.deepEqual(assertOk(await api.get(`/api/v1/users/${userA.user.id}`, { token: userA.token })), userA.user);
      assert.deepEqual(assertOk(await api.get(`/api/v1/users/${userA.user.id}`, { token: admin.token })), userA.user);
    });

    it('answers 404 to other users and for unknown ids', async () => {
      assertError(await api.get(`/api/v1/users/${userB.user.id}`, { token: userA.token }), 404, 'NOT_FOUND');
      assertError(await api.get('/api/v1/users/00000000-0000-4000-8000-000000000000', { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await api.get('/api/v1/users/not-a-uuid', { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await api.get(`/api/v1/users/${userA.user.id}`), 401, 'UNAUTHORIZED');
    });
  });

  describe('PUT /users/:id', () => {
    it('lets a user rename themself', async () => {
      const u = await register(api, { name: 'Old Name' });
      await new Promise((r) => setTimeout(r, 5));
      const data = assertOk(await api.put(`/api/v1/users/${u.user.id}`, { name: '  New Name ' }, { token: u.token }));
      assert.equal(data.name, 'New Name');
      assert.equal(data.email, u.email);
      assert.equal(data.createdAt, u.user.createdAt);
      assert.ok(data.updatedAt > u.user.updatedAt);
      assert.deepEqual(assertOk(await api.get('/api/v1/auth/me', { token: u.token })), data);
      assertError(await api.put(`/api/v1/users/${u.user.id}`, { name: '' }, { token: u.token }), 400, 'VALIDATION_ERROR');
      assertError(await api.put(`/api/v1/users/${u.user.id}`, { name: 'n'.repeat(101) }, { token: u.token }), 400, 'VALIDATION_ERROR');
    });

    it('does not let user A change or delete user B', async () => {
      assertError(await api.put(`/api/v1/users/${userB.user.id}`, { name: 'Hacked' }, { token: userA.token }), 404, 'NOT_FOUND');
      assertError(await api.del(`/api/v1/users/${userB.user.id}`, { token: userA.token }), 404, 'NOT_FOUND');
      assertError(await api.put(`/api/v1/users/${userB.user.id}`, { password: NEW_PASSWORD }, { token: userA.token }), 404, 'NOT_FOUND');
      assert.deepEqual(assertOk(await api.get(`/api/v1/users/${userB.user.id}`, { token: userB.token })), userB.user);
    });

    it('does not let a user make themself admin (403), and ignores unknown fields', async () => {
      assertError(await api.put(`/api/v1/users/${userA.user.id}`, { role: 'admin' }, { token: userA.token }), 403, 'FORBIDDEN');
      assertError(await api.put(`/api/v1/users/${userA.user.id}`, { role: 'creator', name: 'Sneaky' }, { token: userA.token }), 403, 'FORBIDDEN');
      const me = assertOk(await api.get('/api/v1/auth/me', { token: userA.token }));
      assert.equal(me.role, 'user');
      assert.equal(me.name, 'Alpha Tester', 'a refused update changes nothing');
      // The email is a field now (accounts II), and changing it needs the current password.
      assertError(await api.put(`/api/v1/users/${userA.user.id}`, { email: 'evil@example.com' }, { token: userA.token }), 400, 'VALIDATION_ERROR');
      const same = assertOk(await api.put(`/api/v1/users/${userA.user.id}`, { id: 'x', emailVerified: true, createdAt: '2000-01-01T00:00:00.000Z' }, { token: userA.token }));
      assert.equal(same.emailVerified, false);
      assert.equal(same.id, userA.user.id);
      assert.equal(same.email, userA.email);
      assert.equal(same.createdAt, userA.user.createdAt);
      assertError(await api.put(`/api/v1/users/${userA.user.id}`, { role: 'root' }, { token: admin.token }), 400, 'VALIDATION_ERROR');
    });

    it('lets an admin change a role, effective at once for existing tokens', async () => {
      const u = await register(api);
      const data = assertOk(await api.put(`/api/v1/users/${u.user.id}`, { role: 'creator' }, { token: admin.token }));
      assert.equal(data.role, 'creator');
      assert.equal(assertOk(await api.get('/api/v1/auth/me', { token: u.token })).role, 'creator');
      assertOk(await api.put(`/api/v1/users/${u.user.id}`, { role: 'admin' }, { token: admin.token }));
      assertOk(await api.get('/api/v1/users', { token: u.token }));
    });

    it('needs the right currentPassword for a password change by self', async () => {
      const u = await register(api);
      const e1 = assertError(await api.put(`/api/v1/users/${u.user.id}`, { password: NEW_PASSWORD }, { token: u.token }), 400, 'VALIDATION_ERROR');
      assert.equal(e1.details[0].field, 'currentPassword');
      const e2 = assertError(await api.put(`/api/v1/users/${u.user.id}`, { password: NEW_PASSWORD, currentPassword: 'Not-The-Password-9' }, { token: u.token }), 400, 'VALIDATION_ERROR');
      assert.equal(e2.details[0].field, 'currentPassword');
      const e3 = assertError(await api.put(`/api/v1/users/${u.user.id}`, { password: 'password123', currentPassword: PASSWORD }, { token: u.token }), 400, 'VALIDATION_ERROR');
      assert.equal(e3.details[0].field, 'password');
      assertOk(await login(api, u.email, PASSWORD)); // unchanged so far

      const r = await api.put(`/api/v1/users/${u.user.id}`, { password: NEW_PASSWORD, currentPassword: PASSWORD }, { token: u.token });
      assertOk(r);
      assert.doesNotMatch(r.text, /argon2|password/i);
      // every refresh token of the user has ended
      assertError(await api.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken }), 401, 'UNAUTHORIZED');
      assertError(await login(api, u.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
      assertOk(await login(api, u.email, NEW_PASSWORD));
    });

    it('lets an admin set a password without currentPassword', async () => {
      const u = await register(api);
      assertOk(await api.put(`/api/v1/users/${u.user.id}`, { password: NEW_PASSWORD }, { token: admin.token }));
      assertError(await api.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken }), 401, 'UNAUTHORIZED');
      assertOk(await login(api, u.email, NEW_PASSWORD));
    });
  });

  describe('DELETE /users/:id', () => {
    it('anonymises the account: tokens end at once and the email is free again', async () => {
      const u = await register(api, { name: 'Leaving Soon' });
      const r = await api.del(`/api/v1/users/${u.user.id}`, { token: u.token });
      assert.equal(assertOk(r), null);
      assertError(await api.get('/api/v1/auth/me', { token: u.token }), 401, 'UNAUTHORIZED');
      assertError(await api.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken }), 401, 'UNAUTHORIZED');
      assertError(await login(api, u.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
      assertError(await api.get(`/api/v1/users/${u.user.id}`, { token: admin.token }), 404, 'NOT_FOUND');
      const list = assertOk(await api.get('/api/v1/users?q=leaving', { token: admin.token }));
      assert.equal(list.total, 0);
      const again = await register(api, { email: u.email.toUpperCase(), name: 'Returning' });
      assert.notEqual(again.user.id, u.user.id);
      assert.equal(again.user.email, u.email);
      assertError(await api.del(`/api/v1/users/${u.user.id}`, { token: admin.token }), 404, 'NOT_FOUND');
    });

    it('lets an admin delete another user', async () => {
      const u = await register(api);
      assertOk(await api.del(`/api/v1/users/${u.user.id}`, { token: admin.token }));
      assertError(await api.get('/api/v1/auth/me', { token: u.token }), 401, 'UNAUTHORIZED');
      assertError(await api.del('/api/v1/users/not-a-uuid', { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await api.del(`/api/v1/users/${u.user.id}`), 401, 'UNAUTHORIZED');
    });
  });
});
