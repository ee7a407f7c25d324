// The channels cache invalidations travel on between instances (Redis, PostgreSQL LISTEN/NOTIFY),
// and how a test cuts an instance's receiving connection.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dbKind, psql } from './harness.mjs';

export const REDIS = process.env.O4O_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

// Per database, every way another instance hears of a write: [label, env, channel]. On PostgreSQL
// its LISTEN/NOTIFY and Redis; on SQLite Redis, and with no channel at all, the shared file itself
// (PRAGMA data_version).
export const TRANSPORTS = dbKind === 'postgres'
  ? [['PostgreSQL LISTEN/NOTIFY', {}, 'notify'], ['Redis', { O4O_REDIS_URL: REDIS }, 'redis']]
  : [['Redis', { O4O_REDIS_URL: REDIS }, 'redis'], ['one SQLite file (PRAGMA data_version)', {}, 'file']];

// Ends the LISTEN connections of the instances on a PostgreSQL database; returns how many.
export function killPostgresListeners(dbUrl) {
  const name = new URL(dbUrl).pathname.slice(1);
  return Number(psql(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'o4o-listen' AND datname = '${name}'`).trim());
}

// Ends the Redis subscriber connection of the instance with this process id.
export function killRedisListener(pid) {
  const url = new URL(REDIS);
  const cli = ['-h', url.hostname, '-p', url.port || '6379'];
  const line = execFileSync('redis-cli', [...cli, 'CLIENT', 'LIST'], { encoding: 'utf8' })
    .split('\n').find((l) => l.includes(`name=o4o-listen-${pid} `));
  assert.ok(line, 'the instance has a named subscriber connection');
  const id = /\bid=(\d+)/.exec(line)[1];
  execFileSync('redis-cli', [...cli, 'CLIENT', 'KILL', 'ID', id]);
}
