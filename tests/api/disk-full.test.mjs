// Fault test (issue 19): the disk under a SQLite database fills up while the server runs (a small
// tmpfs, filled by another file). Writes answer a clear 503, reads keep working, nothing is
// corrupted, and writes succeed again once space returns, with no restart. Needs mount (root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, sqlOn, dbKind } from './lib/harness.mjs';
import { register, assertOk, assertError } from './lib/fixtures.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'o4o-full-'));
const mounted = dbKind === 'sqlite' && process.getuid?.() === 0 &&
  spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', dir]).status === 0;
if (!mounted) rmSync(dir, { recursive: true, force: true });

test('a full disk: 503 on writes, reads served, no corruption, writes again once space returns',
  { timeout: 120000, skip: !mounted && 'needs SQLite and mount (root) for a small tmpfs' }, async () => {
    const db = { url: `sqlite:${path.join(dir, 'o4o.db')}`, drop() {} };
    const filler = path.join(dir, 'filler');
    let server;
    try {
      server = await startServer({ database: db });
      const { api } = server;
      const writer = await register(api);
      const first = assertOk(await api.post('/api/v1/forum/posts', { title: 'Before', content: 'x' }, { token: writer.token }), 201);
      // Take every byte left (dd stops with "No space left on device").
      spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
      let refused = null;
      for (let i = 0; i < 20 && !refused; i++) {
        const r = await api.post('/api/v1/forum/posts', { title: `Full ${i}`, content: 'y'.repeat(20000) }, { token: writer.token });
        assert.ok(r.status === 201 || r.status === 503, `a write on a full disk answered ${r.status}: ${r.text}`);
        if (r.status === 503) refused = r;
      }
      assert.ok(refused, 'a write was refused once the disk was full');
      assertError(refused, 503, 'SERVICE_UNAVAILABLE');
      assertOk(await api.get(`/api/v1/forum/posts/${first.id}`));

      unlinkSync(filler);
      const after = await api.post('/api/v1/forum/posts', { title: 'After', content: 'z' }, { token: writer.token });
      assert.equal(after.status, 201, after.text);
      assertOk(await api.get(`/api/v1/forum/posts/${after.data.id}`));
      assert.equal(server.proc.exitCode, null, 'o4o kept running');
      await server.stop({ keepDatabase: true });
      server = null;
      assert.equal(sqlOn(db, 'PRAGMA integrity_check').trim(), 'ok');
    } finally {
      await server?.stop({ keepDatabase: true });
      if (mounted) execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
