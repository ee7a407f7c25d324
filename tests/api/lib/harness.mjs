// Starts a real build/o4o on a free loopback port with a fresh database for one test file:
// SQLite in a temp folder, or (O4O_TEST_DB=postgres) a PostgreSQL database created for the file
// and dropped after. Everything is bounded in time and the server is always stopped.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../../..');
export const binary = process.env.O4O_BINARY || path.join(root, 'build/o4o');
export const dbKind = process.env.O4O_TEST_DB || 'sqlite';
// Superuser connection used to create and drop per-file databases.
const pgAdminUrl = process.env.O4O_TEST_PG_URL || 'postgresql://o4o:o4o@127.0.0.1:5432/postgres';

export const ADMIN = { email: 'admin@test.local', password: 'Adm1n-Test-Pass!', name: 'Test Admin' };

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function pgUrlFor(dbName) {
  const u = new URL(pgAdminUrl);
  u.pathname = '/' + dbName;
  return u.toString();
}

export function psql(sql, url = pgAdminUrl) {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8', timeout: 30000 });
}

// Runs SQL on a test database ({ url } of freshDatabase or a server's db), behind the server's
// back: for setting up states that no request can make on cue.
export function sqlOn(db, sql) {
  if (db.url.startsWith('sqlite:')) {
    return execFileSync('sqlite3', ['-cmd', '.timeout 5000', db.url.slice('sqlite:'.length), sql], { encoding: 'utf8', timeout: 30000 });
  }
  return psql(sql, db.url);
}

// Creates a fresh database and returns { url, drop() }.
export function freshDatabase() {
  if (dbKind === 'postgres') {
    const name = 'o4o_t_' + randomBytes(6).toString('hex');
    psql(`CREATE DATABASE ${name}`);
    return {
      url: pgUrlFor(name),
      drop() {
        try { psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* best effort */ }
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'o4o-test-'));
  return { url: `sqlite:${path.join(dir, 'o4o.db')}`, dir, drop() { rmSync(dir, { recursive: true, force: true }); } };
}

// Runs an o4o CLI command to completion; returns { status, stdout, stderr }.
export function runCli(args, { env = {}, timeout = 60000 } = {}) {
  try {
    const stdout = execFileSync(binary, args, {
      encoding: 'utf8', timeout, env: { ...process.env, ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status ?? -1, stdout: e.stdout?.toString() ?? '', stderr: e.stderr?.toString() ?? '' };
  }
}

const TEST_LIMITS = { O4O_RATE_LIMIT_RPS: '0', O4O_PASSWORD_HASH_PER_MIN: '0', O4O_MAX_CONNECTIONS_PER_IP: '1000000' };

// With O4O_TEST_PG_REPLICA_URL (a streaming replica of O4O_TEST_PG_URL's server, as
// tests/replica/run.sh makes): a server on a database of that primary reads from the replica's copy.
const pgReplicaUrl = process.env.O4O_TEST_PG_REPLICA_URL;
function replicaEnv(dbUrl) {
  if (!pgReplicaUrl || !dbUrl.startsWith('postgres')) return {};
  const db = new URL(dbUrl);
  if (db.host !== new URL(pgAdminUrl).host) return {};  // another server (a private one)
  const replica = new URL(pgReplicaUrl);
  replica.pathname = db.pathname;
  return { O4O_DATABASE_REPLICA_URLS: replica.toString() };
}

function baseEnv() {
  return {
    O4O_JWT_SECRET: process.env.O4O_JWT_SECRET || 'test-secret-' + 'x'.repeat(40),
    O4O_SIM_WEBHOOK_SECRET: process.env.O4O_SIM_WEBHOOK_SECRET || 'sim-webhook-secret-' + 'y'.repeat(40),
    // Tests act as one heavy client from 127.0.0.1: per-address limits are off unless a test asks
    // for the defaults (startServer({ defaultLimits: true })) or sets its own.
    ...TEST_LIMITS,
    O4O_LOG_LEVEL: process.env.O4O_LOG_LEVEL || 'warn',
  };
}

// Under the sanitizer build (scripts/test.sh) a report in a server's output fails its test file
// even when every answer was right: a leak is only reported at exit, and a finding in a request
// the test did not look at goes unnoticed otherwise. Failed by the exit code, after every test
// and its clean-up ran (node --test shows the file as failed, the reports as comments).
const SANITIZER_REPORT = /ERROR: (Address|Leak|Thread)Sanitizer|^.*: runtime error: /m;
const sanitizerReports = [];
process.on('exit', () => {
  if (sanitizerReports.length === 0) return;
  for (const r of sanitizerReports) console.error(`sanitizer report from the server:\n${r}`);
  process.exitCode = 1;
});

// Options: env (extra variables), args (extra serve flags), admin (create the admin, default true),
// database (reuse { url } instead of a fresh one), webRoot (default web/dist), defaultLimits
// (the server's own per-address limits instead of the tests' relaxed ones).
export async function startServer({ env = {}, args = [], admin = true, database, webRoot, defaultLimits = false } = {}) {
  const db = database ?? freshDatabase();
  const port = await freePort();
  const fullEnv = { ...process.env, ...baseEnv(), ...replicaEnv(db.url), ...env };
  if (defaultLimits) for (const k of Object.keys(TEST_LIMITS)) if (!(k in env)) delete fullEnv[k];
  if (admin) {
    const r = runCli(['users', 'create', '--database', db.url, '--email', ADMIN.email, '--password', ADMIN.password,
      '--name', ADMIN.name, '--role', 'admin'], { env });
    if (r.status !== 0) throw new Error(`users create failed: ${r.stderr || r.stdout}`);
  }
  const proc = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', String(port), '--database', db.url,
    '--web-root', webRoot ?? path.join(root, 'web/dist'), ...args], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; if (output.length > 1e6) output = output.slice(-5e5); });
  proc.stderr.on('data', (d) => { output += d; if (output.length > 1e6) output = output.slice(-5e5); });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const closed = new Promise((resolve) => proc.on('close', resolve));  // its output read to the end
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}):\n${output}`);
    try {
      const r = await fetch(baseUrl + '/healthz');
      if (r.status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`server did not start:\n${output}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  const server = {
    baseUrl, port, db, proc, exited,
    output: () => output,
    api: new Api(baseUrl),
    async stop({ keepDatabase = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 12000);
        await exited;
        clearTimeout(t);
      }
      if (!keepDatabase && !database) db.drop();
      await closed;
      const report = output.match(SANITIZER_REPORT);
      if (report) sanitizerReports.push(output.slice(report.index, report.index + 4000));
    },
  };
  return server;
}

export class Api {
  constructor(baseUrl) { this.baseUrl = baseUrl; }

  // Returns { status, headers, json, text }. body: object (sent as JSON) or string (sent raw).
  async req(method, p, { token, body, headers = {}, timeout = 30000 } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
      else { payload = JSON.stringify(body); if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json'; }
    }
    const res = await fetch(this.baseUrl + p, { method, headers: h, body: payload, signal: AbortSignal.timeout(timeout) });
    const text = await res.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.status, headers: res.headers, json, text, data: json?.data, error: json?.error };
  }
  get(p, o) { return this.req('GET', p, o); }
  post(p, body, o = {}) { return this.req('POST', p, { ...o, body }); }
  put(p, body, o = {}) { return this.req('PUT', p, { ...o, body }); }
  del(p, o) { return this.req('DELETE', p, o); }
}
