// Start-up for containers: `o4o healthcheck` (the image's HEALTHCHECK), and a server that waits
// for its Redis (or PostgreSQL) to come up for up to 10 s instead of failing at once, so a compose
// stack that starts everything together settles by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, runCli, freePort, binary, dbKind } from './lib/harness.mjs';
import { privatePostgres } from './lib/private-postgres.mjs';

test('o4o healthcheck: 0 while /healthz answers, 1 with one line otherwise', async () => {
  const s = await startServer({ admin: false });
  try {
    assert.equal(runCli(['healthcheck', '--port', String(s.port)]).status, 0);
    // The image's form: everything from O4O_*, a server bound to every interface asked on loopback.
    assert.equal(runCli(['healthcheck'], { env: { O4O_HOST: '0.0.0.0', O4O_PORT: String(s.port) } }).status, 0);
  } finally {
    await s.stop();
  }
  const t0 = Date.now();
  const r = runCli(['healthcheck', '--port', String(await freePort())]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(Date.now() - t0 < 3000);
  assert.equal(runCli(['healthcheck', '--help']).status, 0);
});

test('serve waits for a Redis that comes up within the start-up window', { timeout: 30000 }, async (t) => {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) return t.skip('no redis-server');
  const redisPort = await freePort();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'o4o-startup-'));
  let redis;
  const server = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', String(port), '--database', `sqlite:${dir}/o.db`,
    '--redis', `redis://127.0.0.1:${redisPort}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, O4O_LOG_LEVEL: 'warn' } });
  let err = '';
  server.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((r) => server.on('exit', (code) => r(code)));
  try {
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(server.exitCode, null, `exited before Redis came up: ${err}`);
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let up = false;
    for (let i = 0; i < 150 && !up; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = await fetch(`http://127.0.0.1:${port}/healthz`).then((x) => x.status === 200, () => false);
    }
    assert.ok(up, `serving once Redis answered: ${err}`);
  } finally {
    server.kill('SIGTERM');
    await exited;
    redis?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve gives up on an unreachable Redis after the window, with one line', { timeout: 30000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'o4o-startup-'));
  try {
    const t0 = Date.now();
    const r = runCli(['serve', '--host', '127.0.0.1', '--port', String(await freePort()), '--database', `sqlite:${dir}/o.db`,
      '--redis', `redis://127.0.0.1:${await freePort()}`], { timeout: 20000 });
    const took = Date.now() - t0;
    assert.notEqual(r.status, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /cannot reach Redis/);
    assert.ok(took > 5000 && took < 11000, `gave up after ${took} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The same for the database: a PostgreSQL that is still starting when serve does (compose starts
// them together). A private server is stopped first, then started 2.5 s after serve.
test('serve waits for a PostgreSQL that comes up within the start-up window', { timeout: 60000, skip: dbKind !== 'postgres' && 'needs O4O_TEST_DB=postgres' }, async () => {
  const pg = await privatePostgres();
  const port = await freePort();
  let server;
  try {
    pg.stop();
    server = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', String(port), '--database', pg.url], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, O4O_LOG_LEVEL: 'warn', O4O_JWT_SECRET: 'startup-'.repeat(6), O4O_SIM_WEBHOOK_SECRET: 'hook-'.repeat(8) },
    });
    let err = '';
    server.stderr.on('data', (d) => { err += d; });
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(server.exitCode, null, `exited before PostgreSQL came up: ${err}`);
    pg.start();
    let up = false;
    for (let i = 0; i < 150 && !up; i++) {
      up = await fetch(`http://127.0.0.1:${port}/readyz`).then((x) => x.status === 200, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(up, `ready once PostgreSQL answered: ${err}`);
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.on('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    pg.destroy();
  }
});
