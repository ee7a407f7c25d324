// Idempotency-Key records are kept 24 hours (the contract's "Idempotency"); the server deletes
// older ones in the background, a chunk at a time, with no request needed, and no request pays
// for it. Records are aged behind the server's back, as 24 hours cannot pass in a test.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, sqlOn, dbKind } from './lib/harness.mjs';

const DAY_MS = 24 * 3600 * 1000;

function countKeys(db, where) {
  return Number(sqlOn(db, `SELECT COUNT(*) FROM idempotency_keys WHERE ${where}`).trim());
}

// n records of user u, created `ageMs` ago, with keys prefix0..prefix(n-1).
function insertKeys(db, prefix, n, ageMs) {
  const created = Date.now() - ageMs;
  const numbers = dbKind === 'postgres'
    ? `SELECT i FROM generate_series(0, ${n - 1}) AS s(i)`
    : `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${n - 1}) SELECT i FROM s`;
  sqlOn(db, `INSERT INTO idempotency_keys (user_id, method, path, key, body_hash, state, status, response, created_at)
    SELECT 'u', 'POST', '/api/v1/ecommerce/orders', '${prefix}' || i, 'h', 'done', 201, '{}', ${created} FROM (${numbers}) AS n`);
}

describe('expired Idempotency-Key records', () => {
  const db = freshDatabase();
  after(() => db.drop());

  it('are deleted in the background after a start, every one of them, and younger ones stay', async () => {
    const first = await startServer({ database: db });  // makes the tables
    await first.stop();
    insertKeys(db, 'old', 2500, DAY_MS + 60_000);  // more than one chunk (1,000)
    insertKeys(db, 'young', 3, DAY_MS - 3600_000);
    assert.equal(countKeys(db, "key LIKE 'old%'"), 2500);

    const server = await startServer({ database: db });
    try {
      // No request is made: the first pass comes a second after the start.
      const deadline = Date.now() + 15000;
      while (countKeys(db, "key LIKE 'old%'") > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(countKeys(db, "key LIKE 'old%'"), 0);
      assert.equal(countKeys(db, "key LIKE 'young%'"), 3);
    } finally {
      await server.stop();
    }
  });
});
