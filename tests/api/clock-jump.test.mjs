// Fault test (issue 19): the wall clock jumps while the server runs (libfaketime, preloaded, reads
// its offset from a file on every call; the monotonic clock is left alone, as a real jump leaves
// it). Two hours forward: an access token from before has expired (401), logging in again works,
// new records carry the new time, and the server keeps serving; back again: it still serves.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './lib/harness.mjs';
import { register, assertOk, assertError } from './lib/fixtures.mjs';

const LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

describe('a wall-clock jump', { skip: existsSync(LIB) ? false : 'needs faketime (Debian package faketime)' }, () => {
  let server, dir, offset;
  const jump = (spec) => writeFileSync(offset, `${spec}\n`);
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'o4o-clock-'));
    offset = path.join(dir, 'offset');
    jump('+0');
    server = await startServer({ admin: false, env: {
      LD_PRELOAD: LIB, FAKETIME_TIMESTAMP_FILE: offset, FAKETIME_NO_CACHE: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1',
      // The ASan+UBSan server (scripts/test.sh) refuses to start with a library loaded before its
      // runtime; libfaketime wraps only clock functions and passes each call on to the next
      // definition, so ASan's own wrappers still run.
      ASAN_OPTIONS: [process.env.ASAN_OPTIONS, 'verify_asan_link_order=0'].filter(Boolean).join(':'),
    } });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two hours forward expires old access tokens, not the server; back again, it still serves', async () => {
    const { api } = server;
    const user = await register(api);
    assertOk(await api.get('/api/v1/auth/me', { token: user.token }));
    const before = Date.parse(assertOk(await api.post('/api/v1/forum/posts', { title: 'Before', content: 'x' }, { token: user.token }), 201).createdAt);

    jump('+2h');
    assertError(await api.get('/api/v1/auth/me', { token: user.token }), 401, 'UNAUTHORIZED');
    const again = { token: assertOk(await api.post('/api/v1/auth/login', { email: user.email, password: user.password })).accessToken };
    assertOk(await api.get('/api/v1/auth/me', { token: again.token }));
    const after = Date.parse(assertOk(await api.post('/api/v1/forum/posts', { title: 'After', content: 'x' }, { token: again.token }), 201).createdAt);
    assert.ok(after - before > 7000 * 1000 && after - before < 7400 * 1000, `createdAt moved ${after - before} ms`);
    assert.equal((await api.get('/healthz')).status, 200);

    jump('+0');
    assert.equal((await api.get('/healthz')).status, 200);
    const list = assertOk(await api.get('/api/v1/forum/posts?limit=5'));
    assert.deepEqual(list.items.map((p) => p.title).slice(0, 2), ['After', 'Before']);
    assertOk(await api.post('/api/v1/auth/login', { email: user.email, password: user.password }));
    assert.equal(server.proc.exitCode, null);
  });
});
