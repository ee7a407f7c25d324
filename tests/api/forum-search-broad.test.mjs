// A broad search of three or more words (issue 19: ten one-letter words matched half of 100,000
// posts and ranking them took over a second) ranks only its newest 5,000 matches; the older ones
// follow them, newest first. The total counts every match, pages neither repeat nor skip a post,
// and searches of fewer words, or with fewer matches, rank every match as before.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlOn, dbKind } from './lib/harness.mjs';
import { register, assertOk } from './lib/fixtures.mjs';

const F = '/api/v1/forum';
const RANKED = 5000;
const WEAK = RANKED + 300;
const T0 = 1700000000000;
let server, api, writer;

// One post per statement row: title, content and creation time; seq follows the row order.
function insertSql(authorId, rows) {
  const values = rows.map(([title, content, at]) =>
    `(${dbKind === 'postgres' ? 'gen_random_uuid()::text' : 'lower(hex(randomblob(16)))'}, '${authorId}', '${title}', '${content}', 'general', ${at}, ${at})`);
  return `INSERT INTO forum_posts (id, author_id, title, content, category, created_at, updated_at) VALUES ${values.join(',')}`;
}

// WEAK posts that each hold a, b and c once, in creation order.
function weakSql(authorId) {
  const words = (i) => `'a' || i || ' b' || i || ' c' || i`;
  if (dbKind === 'postgres') {
    return `INSERT INTO forum_posts (id, author_id, title, content, category, created_at, updated_at)
      SELECT gen_random_uuid()::text, '${authorId}', 'weak ' || i, ${words('i')}, 'general', ${T0} + i, ${T0} + i
      FROM generate_series(1, ${WEAK}) AS i`;
  }
  return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${WEAK})
    INSERT INTO forum_posts (id, author_id, title, content, category, created_at, updated_at)
      SELECT lower(hex(randomblob(16))), '${authorId}', 'weak ' || i, ${words('i')}, 'general', ${T0} + i, ${T0} + i
      FROM n`;
}

before(async () => {
  server = await startServer();
  api = server.api;
  writer = await register(api);
  // The strongest match is the oldest post; a middling one is the newest.
  sqlOn(server.db, insertSql(writer.user.id, [['a b c', 'a b c a b c a b c', T0]]));
  sqlOn(server.db, weakSql(writer.user.id));
  sqlOn(server.db, insertSql(writer.user.id, [['middling', 'a b c a b c', T0 + WEAK + 1]]));
});
after(async () => { await server?.stop(); });

const get = async (query) => assertOk(await api.get(`${F}/posts?${query}`));
const titles = (page) => page.items.map((p) => p.title);

describe('a broad search of three or more words', () => {
  it('ranks its newest 5,000 matches, and the older ones follow newest first', async () => {
    const first = await get('q=a%20b%20c&limit=3');
    assert.equal(first.total, WEAK + 2);
    assert.deepEqual(titles(first), ['middling', `weak ${WEAK}`, `weak ${WEAK - 1}`]);
    // The strongest match is older than the newest 5,000: it comes last.
    const last = await get(`q=a%20b%20c&limit=2&page=${(WEAK + 2) / 2}`);
    assert.deepEqual(titles(last), ['weak 1', 'a b c']);
    // The same with a filter that keeps every post.
    const filtered = await get(`q=a%20b%20c&limit=1&category=general&authorId=${writer.user.id}`);
    assert.deepEqual([filtered.total, titles(filtered)], [WEAK + 2, ['middling']]);
  });

  it('pages across the end of the ranked matches neither repeat nor skip a post', async () => {
    // Offsets 4,980..5,009: the last ranked matches and the first older ones.
    const straddling = await get('q=a%20b%20c&limit=30&page=167');
    const before = await get('q=a%20b%20c&limit=10&page=498');  // offsets 4,970..4,979
    const after = await get('q=a%20b%20c&limit=10&page=502');  // offsets 5,010..5,019
    // Offset k holds 'weak <WEAK + 1 - k>' (offset 0 is 'middling'), ranked or not.
    const expected = Array.from({ length: 50 }, (_, i) => `weak ${WEAK + 1 - 4970 - i}`);
    assert.deepEqual([...titles(before), ...titles(straddling), ...titles(after)], expected);
  });

  it('fewer words, or fewer matches, rank every match', async () => {
    assert.deepEqual(titles(await get('q=a%20b&limit=2')), ['a b c', 'middling']);
    assert.deepEqual(titles(await get('q=a%20b%20c%20middling')), ['middling']);
  });
});
