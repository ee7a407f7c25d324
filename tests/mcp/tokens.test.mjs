// Long-lived assistant tokens (/api/v1/auth/tokens): named, scoped read or write, shown once,
// listed without the secret, revoked at once; accepted wherever an access token is, within scope.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../api/lib/harness.mjs';
import { assertOk, assertError, register } from '../api/lib/fixtures.mjs';
import { connect1, connect2, toolError, structured } from './lib.mjs';

let server, api, user, other;
before(async () => {
  server = await startServer({ admin: false });
  api = server.api;
  [user, other] = await Promise.all([register(api), register(api)]);
});
after(async () => { await server?.stop(); });

const T = '/api/v1/auth/tokens';

describe('assistant tokens', () => {
  it('are created with a name and a scope, shown once and listed without the secret', async () => {
    const made = assertOk(await api.post(T, { name: 'Claude Desktop', scope: 'write', expiresInDays: 30 }, { token: user.token }), 201);
    assert.match(made.token, /^o4o_at_[0-9a-f]{64}$/);
    assert.equal(made.name, 'Claude Desktop');
    assert.equal(made.scope, 'write');
    assert.ok(Date.parse(made.expiresAt) > Date.now() + 29 * 86400e3);
    const list = assertOk(await api.get(T, { token: user.token }));
    assert.equal(list.total, 1);
    assert.equal(list.items[0].id, made.id);
    assert.equal(list.items[0].token, undefined);
    assert.ok(!JSON.stringify(list).includes(made.token));
    assert.equal(assertOk(await api.get(T, { token: other.token })).total, 0);
    assert.ok(!server.output().includes(made.token));
  });

  it('validates the body and needs a sign-in', async () => {
    assertError(await api.post(T, { name: '', scope: 'write' }, { token: user.token }), 400, 'VALIDATION_ERROR');
    assertError(await api.post(T, { name: 'x', scope: 'admin' }, { token: user.token }), 400, 'VALIDATION_ERROR');
    assertError(await api.post(T, { name: 'x', scope: 'read', expiresInDays: 0 }, { token: user.token }), 400, 'VALIDATION_ERROR');
    assertError(await api.post(T, { name: 'x', scope: 'read' }), 401, 'UNAUTHORIZED');
  });

  it('a read token reads, and is refused every write (REST and MCP)', async () => {
    const { token } = assertOk(await api.post(T, { name: 'reader', scope: 'read' }, { token: user.token }), 201);
    assert.equal(assertOk(await api.get('/api/v1/auth/me', { token })).id, user.user.id);
    assertError(await api.post('/api/v1/forum/posts', { title: 't', content: 'c' }, { token }), 403, 'FORBIDDEN');
    const client = await connect1(server, token);
    try {
      assert.equal(structured(await client.callTool({ name: 'whoami', arguments: {} })).user.id, user.user.id);
      assert.equal(toolError(await client.callTool({ name: 'create_post', arguments: { title: 't', content: 'c' } })), 'FORBIDDEN');
      // a money-moving tool is refused at once, not after a quote it could never confirm
      const quote = await client.callTool({ name: 'back_project', arguments: { projectId: '00000000-0000-4000-8000-000000000000', amount: 1000 } });
      assert.equal(toolError(quote), 'FORBIDDEN');
      assert.match(quote.content[0].text, /read-only/);
      // the read tools of a signed-in user work
      assert.equal(structured(await client.callTool({ name: 'list_my_orders', arguments: {} })).total, 0);
    } finally { await client.close(); }
  });

  it('a write token acts as its user; it cannot make or list tokens itself', async () => {
    const { token } = assertOk(await api.post(T, { name: 'writer', scope: 'write' }, { token: user.token }), 201);
    const client = await connect2(server, token);
    try {
      const post = structured(await client.callTool({ name: 'create_post', arguments: { title: 'By my assistant', content: 'hello' } }));
      assert.equal(post.authorId, user.user.id);
    } finally { await client.close(); }
    assertError(await api.post(T, { name: 'more', scope: 'write' }, { token }), 403, 'FORBIDDEN');
    assertError(await api.get(T, { token }), 403, 'FORBIDDEN');
  });

  it('revoking stops the token at once; another user cannot revoke it', async () => {
    const made = assertOk(await api.post(T, { name: 'gone soon', scope: 'write' }, { token: user.token }), 201);
    assertError(await api.del(`${T}/${made.id}`, { token: other.token }), 404, 'NOT_FOUND');
    assertOk(await api.get('/api/v1/auth/me', { token: made.token }));
    assert.equal(assertOk(await api.del(`${T}/${made.id}`, { token: user.token })), null);
    assertError(await api.get('/api/v1/auth/me', { token: made.token }), 401, 'UNAUTHORIZED');
    assertError(await api.del(`${T}/${made.id}`, { token: user.token }), 404, 'NOT_FOUND');
    assert.ok(!assertOk(await api.get(T, { token: user.token })).items.some((t) => t.id === made.id));
  });

  it('at most 50 per user, also when 60 are asked for at once', async () => {
    const many = await register(api);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) =>
      api.post(T, { name: `parallel ${i}`, scope: 'read' }, { token: many.token })));
    const made = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status !== 201);
    assert.equal(made.length, 50, answers.map((r) => r.status).join(','));
    for (const r of refused) assert.match(assertError(r, 409, 'CONFLICT').message, /50/);
    const list = assertOk(await api.get(`${T}?limit=100`, { token: many.token }));
    assert.equal(list.total, 50);
    // one revoked makes room for exactly one more
    assertOk(await api.del(`${T}/${made[0].json.data.id}`, { token: many.token }));
    assertOk(await api.post(T, { name: 'after revoke', scope: 'read' }, { token: many.token }), 201);
    assertError(await api.post(T, { name: 'one too many', scope: 'read' }, { token: many.token }), 409, 'CONFLICT');
  });

  it('an unknown token of the assistant form is 401', async () => {
    assertError(await api.get('/api/v1/auth/me', { token: 'o4o_at_' + '0'.repeat(64) }), 401, 'UNAUTHORIZED');
  });
});
