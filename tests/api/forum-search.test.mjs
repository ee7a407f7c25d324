// Forum ?q= full-text search: word-prefix matching (Korean particles too), relevance order,
// filters, and hostile query strings that must never produce a 500.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { loginAdmin, register, assertOk, assertError } from './lib/fixtures.mjs';

const F = '/api/v1/forum';
let server, api, admin, writer, other;
const posts = {};

async function create(token, title, content, category) {
  return assertOk(await api.post(`${F}/posts`, { title, content, ...(category ? { category } : {}) }, { token }), 201);
}

async function search(q, extra = '') {
  const r = await api.get(`${F}/posts?q=${encodeURIComponent(q)}${extra}`);
  return assertOk(r);
}

const ids = (list) => list.items.map((p) => p.id);

before(async () => {
  server = await startServer();
  api = server.api;
  [admin, writer, other] = await Promise.all([loginAdmin(api), register(api), register(api)]);
  posts.seoul = await create(writer.token, '주말 모임 안내', '이번 토요일 서울에서 만나요. 장소는 추후 공지합니다.', 'meetup');
  posts.busan = await create(writer.token, '부산 여행 후기', '해운대가 정말 좋았어요.', 'travel');
  posts.dev = await create(other.token, 'Development diary', 'Notes about developing the signage player.', 'tech');
  posts.weak = await create(other.token, 'Weekly notes', 'One mention of quasar here among many other words about weather.', 'tech');
  posts.strong = await create(writer.token, 'Quasar quasar', 'Quasar observations: quasar light curves and quasar jets.', 'tech');
  posts.html = await create(other.token, 'Markup', '<script>alert(1)</script> zebra', 'tech');
});
after(async () => { await server?.stop(); });

describe('GET /posts?q=', () => {
  it('a Korean word finds the post where it carries a particle (서울 → 서울에서)', async () => {
    const r = await search('서울');
    assert.deepEqual(ids(r), [posts.seoul.id]);
    assert.equal(r.total, 1);
    assert.deepEqual(ids(await search('부산')), [posts.busan.id]);
    assert.deepEqual(ids(await search('해운')), [posts.busan.id]);
    assert.equal((await search('대구')).total, 0);
  });

  it('each word matches as a prefix, case-insensitively, and all words must match', async () => {
    assert.deepEqual(ids(await search('devel')), [posts.dev.id]);
    assert.deepEqual(ids(await search('DEVELOP')), [posts.dev.id]);
    assert.deepEqual(ids(await search('signage devel')), [posts.dev.id]);
    assert.equal((await search('signage busan')).total, 0);
    assert.equal((await search('velop')).total, 0, 'only word prefixes match, not infixes');
    assert.deepEqual(ids(await search('zebra')), [posts.html.id]);
  });

  it('orders by relevance, then newest, with no boost for pinned posts', async () => {
    const r = await search('quasar');
    assert.deepEqual(ids(r), [posts.strong.id, posts.weak.id]);
    assertOk(await api.put(`${F}/posts/${posts.weak.id}`, { pinned: true }, { token: admin.token }));
    assert.deepEqual(ids(await search('quasar')), [posts.strong.id, posts.weak.id]);
    const plain = assertOk(await api.get(`${F}/posts?category=tech`));
    assert.equal(plain.items[0].id, posts.weak.id, 'without q the pinned post leads');
    assertOk(await api.put(`${F}/posts/${posts.weak.id}`, { pinned: false }, { token: admin.token }));
  });

  it('a word in the title counts for more than the same word in the content', async () => {
    const inTitle = await create(writer.token, 'Nebula report', 'plain words');
    const inContent = await create(writer.token, 'Plain words', 'nebula report');
    assert.deepEqual(ids(await search('nebula')), [inTitle.id, inContent.id], 'the newer content match comes second');
  });

  it('equal relevance falls back to newest first', async () => {
    const a = await create(writer.token, 'Tie xylophone', 'tie');
    const b = await create(writer.token, 'Tie xylophone', 'tie ');
    assert.deepEqual(ids(await search('xylophone')), [b.id, a.id]);
  });

  it('combines with ?category=, ?authorId= and pagination', async () => {
    assert.deepEqual(ids(await search('quasar', '&category=tech&authorId=' + writer.user.id)), [posts.strong.id]);
    assert.equal((await search('quasar', '&category=travel')).total, 0);
    const p1 = await search('quasar', '&limit=1');
    assert.deepEqual([p1.total, p1.items.length, p1.limit], [2, 1, 1]);
    assert.deepEqual(ids(await search('quasar', '&limit=1&page=2')), [posts.weak.id]);
    const past = await search('quasar', '&limit=1&page=5');
    assert.deepEqual([past.items.length, past.total, past.page], [0, 2, 5]);
  });

  it('a filtered search is the unfiltered one without the posts the filter leaves out, page by page', async () => {
    // Relevance varies (1..3 occurrences, some in the title) over two authors and two categories.
    const made = [];
    for (let i = 0; i < 12; i++) {
      const words = Array.from({ length: (i % 3) + 1 }, () => 'glacier').join(' ');
      made.push(await create(i % 2 ? writer.token : other.token, i % 5 ? `Ice ${i}` : `Glacier ice ${i}`,
        `${words} walk ${i}`, i % 4 < 2 ? 'polar' : 'alpine'));
    }
    // A post moved to another category is found under the new one only.
    const moved = made[3];
    assertOk(await api.put(`${F}/posts/${moved.id}`, { category: 'polar' }, { token: admin.token }));
    // A deleted post is found under none.
    assertOk(await api.del(`${F}/posts/${made[6].id}`, { token: admin.token }));
    const all = (await search('glacier', '&limit=100')).items;
    assert.equal(all.length, 11);
    for (const [category, author] of [['polar'], ['alpine'], [undefined, writer.user.id], [undefined, other.user.id],
      ['polar', writer.user.id], ['alpine', other.user.id], ['nowhere']]) {
      const expected = all.filter((p) => (!category || p.category === category) && (!author || p.authorId === author))
        .map((p) => p.id);
      const extra = (category ? `&category=${category}` : '') + (author ? `&authorId=${author}` : '');
      const seen = [];
      for (let page = 1; page <= 7; page++) {
        const r = await search('glacier', `${extra}&limit=2&page=${page}`);
        assert.equal(r.total, expected.length, extra);
        seen.push(...ids(r));
      }
      assert.deepEqual(seen, expected, extra);
    }
    assert.ok(ids(await search('glacier', '&category=polar&limit=100')).includes(moved.id));
    assert.ok(!ids(await search('glacier', '&category=alpine&limit=100')).includes(moved.id));
  });

  it('the words match title and content, never the category or the author', async () => {
    await create(writer.token, 'Plain heading', 'nothing of note', 'tundra');
    assert.equal((await search('tundra')).total, 0);
    // What SQLite's index holds for the category and the author (migration 404) is no word either.
    const hex = (text) => Buffer.from(text).toString('hex');
    assert.equal((await search(`c${hex('tundra')}`)).total, 0);
    assert.equal((await search(`a${hex(writer.user.id)}`)).total, 0);
    assert.equal((await search('nothing', '&category=tundra')).total, 1);
  });

  it('follows edits and deletes', async () => {
    const p = await create(writer.token, 'Temporary', 'mentions kumquat once');
    assert.deepEqual(ids(await search('kumquat')), [p.id]);
    assertOk(await api.put(`${F}/posts/${p.id}`, { content: 'now about persimmon' }, { token: writer.token }));
    assert.equal((await search('kumquat')).total, 0);
    assert.deepEqual(ids(await search('persim')), [p.id]);
    assertOk(await api.del(`${F}/posts/${p.id}`, { token: writer.token }));
    assert.equal((await search('persim')).total, 0);
  });

  it('likedByMe is reported for a signed-in searcher', async () => {
    assertOk(await api.post(`${F}/posts/${posts.dev.id}/like`, undefined, { token: writer.token }));
    const mine = assertOk(await api.get(`${F}/posts?q=devel`, { token: writer.token }));
    assert.deepEqual(mine.items.map((p) => [p.id, p.likedByMe, p.likeCount]), [[posts.dev.id, true, 1]]);
    assert.equal((await search('devel')).items[0].likedByMe, false);
  });

  it('hostile query strings answer 200 or 400, never 500', async () => {
    const hostile = ['"', '""', '*', '-', '-devel', 'OR', 'AND', 'NOT', 'NEAR', 'NEAR(a b)', 'a OR b', '(', ')', '((',
      'a:b', 'title:devel', '\\', '\\\\', '&|!', '!', '&', '|', "'", "''", "a'b", ':*', 'devel:*', '^devel', '{a b}',
      '"unterminated', 'col : x', '\u0000', '%', '%%', '_', 'x*y', '<->', 'a <-> b', '😀', '…', '서울"', '(서울',
      'SELECT * FROM users;--', '\t', '\u3000', 'a'.repeat(200), 'a '.repeat(60)];
    for (const q of hostile) {
      const r = await api.get(`${F}/posts?q=${encodeURIComponent(q)}`);
      assert.ok(r.status === 200 || r.status === 400, `q=${JSON.stringify(q)} answered ${r.status}: ${r.text}`);
      if (r.status === 200) assert.ok(Array.isArray(r.data.items) && Number.isInteger(r.data.total));
      else assertError(r, 400, 'VALIDATION_ERROR');
    }
  });

  it('words inside syntax still match; punctuation alone finds nothing', async () => {
    assert.deepEqual(ids(await search('"devel*"')), [posts.dev.id]);
    assert.deepEqual(ids(await search('(서울')), [posts.seoul.id]);
    assert.deepEqual(ids(await search('devel:*')), [posts.dev.id]);
    const none = await search('"*-()!&|');
    assert.deepEqual([none.items.length, none.total], [0, 0]);
  });

  it('400 for a query over 200 characters or not UTF-8', async () => {
    assertError(await api.get(`${F}/posts?q=${'a'.repeat(201)}`), 400, 'VALIDATION_ERROR');
    assertError(await api.get(`${F}/posts?q=%FF%FE`), 400, 'VALIDATION_ERROR');
  });

  it('answers alike when the database pool is busy (one connection: counted in the same statement)', async () => {
    // With a free pool PostgreSQL counts and ranks at once on two connections; with one
    // connection it ranks and counts in a single statement. Both must give the same answers.
    // Enough matches for several pages, with ties, spread over the creation order.
    for (let i = 0; i < 9; i++) {
      const words = Array.from({ length: (i % 3) + 1 }, () => 'orbit').join(' ');
      await create(i % 2 ? writer.token : other.token, i % 4 ? `Log ${i}` : `Orbit log ${i}`, `${words} day ${i}`, 'tech');
    }
    const narrow = await startServer({ database: server.db, admin: false, env: { O4O_DB_POOL_SIZE: '1' } });
    try {
      for (const query of ['q=quasar', 'q=quasar&limit=1&page=2', 'q=quasar&limit=1&page=5', 'q=%EC%84%9C%EC%9A%B8',
        'q=quasar&category=tech&authorId=' + writer.user.id, 'q=zzznothing', 'q=devel&limit=1', 'q=tie',
        'q=orbit&limit=3', 'q=orbit&limit=3&page=2', 'q=orbit&limit=3&page=3', 'q=orbit&limit=3&page=4',
        'q=orb&limit=4&page=2', 'q=orbit%20day&limit=100', 'q=orbit&authorId=' + writer.user.id,
        'q=orbit%20day%20log&limit=2&page=2', 'q=orbit%20day%20log&category=tech&authorId=' + writer.user.id]) {
        const [wide, one] = await Promise.all([api.get(`${F}/posts?${query}`), narrow.api.get(`${F}/posts?${query}`)]);
        const shape = (r) => { const d = assertOk(r); return [d.total, d.page, d.limit, ids(d)]; };
        assert.deepEqual(shape(one), shape(wide), query);
      }
    } finally {
      await narrow.stop();
    }
  });

  it('an empty or blank q lists everything', async () => {
    const all = assertOk(await api.get(`${F}/posts`));
    assert.equal((await search('')).total, all.total);
    assert.equal((await search('   ')).total, all.total);
  });
});
