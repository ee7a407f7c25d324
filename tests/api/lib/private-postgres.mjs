// A PostgreSQL server of the test's own (initdb in a temp folder, its own port), so that a test
// may stop and start it without disturbing the shared one other test files use.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './harness.mjs';

function pgBin(name) {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return path.join('/usr/lib/postgresql', versions[0], 'bin', name);
}

// PostgreSQL refuses to run as root: run its tools as the postgres user when we are root.
function asPostgres(cmd, args) {
  if (process.getuid() === 0) {
    const quoted = [cmd, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { encoding: 'utf8', timeout: 60000 });
  }
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: 60000 });
}

export async function privatePostgres() {
  const dir = mkdtempSync(path.join(tmpdir(), 'o4o-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  if (process.getuid() === 0) execFileSync('chown', ['postgres', dir]);
  asPostgres(pgBin('initdb'), ['-D', data, '-U', 'o4o', '--auth=trust', '-E', 'UTF8']);
  const start = () => asPostgres(pgBin('pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  const stop = () => asPostgres(pgBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  execFileSync(pgBin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'o4o', 'o4o'], { timeout: 30000 });
  return {
    url: `postgresql://o4o@127.0.0.1:${port}/o4o`,
    start,
    stop,
    destroy() {
      try { stop(); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
