// What the order benchmarks share: the disk's one-row durable commit rate (the yardstick of group
// commit on SQLite) and the server's own latency histogram of one route, from /metrics.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// SQLite: the one-row durable commit rate of the disk the server's database is on, measured by
// bench/ecommerce/commit_rate.cpp (built here) for `secs` seconds. null on PostgreSQL.
export function commitRate(dbUrl, secs) {
  if (!dbUrl.startsWith('sqlite:')) return null;
  const exe = path.join(os.tmpdir(), 'o4o-commit-rate');
  execFileSync('g++', ['-O2', '-o', exe, path.join(here, 'commit_rate.cpp'), '-lsqlite3']);
  const file = path.join(path.dirname(dbUrl.slice('sqlite:'.length)), 'commit-rate.db');
  const [rate, p50, p99] = execFileSync(exe, [file, String(secs)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
  return { rate, p50, p99 };
}

// The server's own histogram of POST answers on routes whose pattern ends with `routeSuffix`
// (request read → answer handed to the socket): counts per bucket, to diff two readings.
export async function serverHistogram(api, routeSuffix) {
  const text = (await api.get('/metrics')).text;
  const buckets = {};
  for (const m of text.matchAll(/http_request_duration_seconds_bucket\{([^}]*)\} (\d+)/g)) {
    if (!m[1].includes('method="POST"') || !m[1].includes(`${routeSuffix}"`)) continue;
    const le = /le="([^"]+)"/.exec(m[1])[1];
    buckets[le] = (buckets[le] ?? 0) + Number(m[2]);
  }
  return buckets;
}

// The share of answers within each bucket bound, between two readings of serverHistogram.
export function within(after, before = {}) {
  const all = (after['+Inf'] ?? 0) - (before['+Inf'] ?? 0);
  return { all, share: (le) => (all ? (100 * ((after[le] ?? 0) - (before[le] ?? 0))) / all : 0) };
}
