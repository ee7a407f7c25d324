// Accounts for tests. Password hashing is slow on purpose, so a suite registers each role once and
// reuses the tokens.
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { ADMIN } from './harness.mjs';

export const PASSWORD = 'Corr3ct-Horse-Battery';

export function uniqueEmail(prefix = 'user') {
  return `${prefix}.${randomBytes(5).toString('hex')}@example.com`;
}

// Registers a new account; returns { user, accessToken, refreshToken, email, password, token }.
export async function register(api, { role = 'user', name, email, password = PASSWORD } = {}) {
  email ??= uniqueEmail(role);
  const r = await api.post('/api/v1/auth/register', { email, password, name: name ?? `${role} ${email.slice(0, 8)}`, role });
  assert.equal(r.status, 201, `register ${email}: ${r.text}`);
  return { ...r.data, email, password, token: r.data.accessToken };
}

export async function loginAdmin(api) {
  const r = await api.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
  assert.equal(r.status, 200, `admin login: ${r.text}`);
  return { ...r.data, email: ADMIN.email, password: ADMIN.password, token: r.data.accessToken };
}

// { admin, creator, user, other } — one account per role, plus a second plain user.
export async function standardAccounts(api) {
  const [admin, creator, user, other] = await Promise.all([
    loginAdmin(api), register(api, { role: 'creator' }), register(api), register(api),
  ]);
  return { admin, creator, user, other };
}

// Checks the error envelope and returns the error object.
export function assertError(res, status, code) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text}`);
  assert.equal(res.json?.success, false, res.text);
  if (code) assert.equal(res.json.error.code, code, res.text);
  assert.equal(typeof res.json.error.message, 'string');
  assert.match(res.json.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  return res.json.error;
}

export function assertOk(res, status = 200) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.equal(res.json?.success, true, res.text);
  return res.json.data;
}
