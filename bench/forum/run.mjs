// Forum search benchmark: loads 100,000 posts straight into the database (the same generated
// data on SQLite and PostgreSQL), starts a server on loopback with rate limiting off, and measures
// GET /api/v1/forum/posts?q=... latency (sequential, then 4 in flight). Bounded in time.
//
//   node bench/forum/run.mjs [sqlite|postgres|both]   (O4O_BINARY=build-forum/o4o by default)
//   env: POSTS=100000 QUERIES=400 SECONDS=60
//   node bench/forum/run.mjs load-postgres DIR   (or load-sqlite DIR) loads a database and keeps it;
//   BENCH_DB_URL=<its url> node bench/forum/run.mjs postgres   measures on it again without loading
//   (the same queries; the database is kept).
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
process.env.O4O_BINARY ??= path.join(root, 'build-forum/o4o');
const { runCli, startServer, psql } = await import('../../tests/api/lib/harness.mjs');

const POSTS = Number(process.env.POSTS ?? 100000);
const QUERIES = Number(process.env.QUERIES ?? 400);
const SECONDS = Number(process.env.SECONDS ?? 60);
const AUTHORS = 100;
const which = process.argv[2] ?? 'both';

// --- deterministic data ---
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
// Skewed: early words are common (the most common English word is in about a fifth of the posts).
const pick = (arr) => arr[Math.floor(arr.length * rand() ** 1.5)];

const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'po', 'ga', 'di', 'fu', 'he', 'jo', 'ku', 'ma', 'ni', 'or', 'pe', 'qu', 'ri', 'su', 'te'];
const english = [];
for (const a of syllables) for (const b of syllables) for (const c of ['n', 'r', 'st', 'l', 'x']) english.push(a + b + c);  // 2880 words
const koreanNouns = ['서울', '부산', '대구', '인천', '광주', '대전', '울산', '제주', '모임', '공지', '후기', '질문', '답변', '행사',
  '펀딩', '상품', '배송', '주문', '결제', '환불', '게시판', '커뮤니티', '디스플레이', '광고', '화면', '일정', '여행', '맛집',
  '카페', '음악', '영화', '사진', '운동', '건강', '개발', '디자인', '기획', '마케팅', '학교', '회사'];
const hangul = ['가', '나', '다', '라', '마', '바', '사', '아', '자', '차', '카', '타', '파', '하', '고', '노', '도', '로', '모', '보'];
for (const a of hangul) for (const b of hangul) koreanNouns.push(a + b + '지');  // 440 nouns in all
const particles = ['', '에서', '은', '는', '이', '가', '을', '를', '의', '에', '으로', '와', '과', '도'];
const categories = ['general', 'notice', 'qna', 'tech', 'travel', 'market', 'meetup', 'free'];

function word() {
  return rand() < 0.15 ? pick(koreanNouns) + particles[Math.floor(rand() * particles.length)] : pick(english);
}
const words = (n) => Array.from({ length: n }, word).join(' ');

function generateCsv(file, authorIds) {
  const start = Date.UTC(2024, 0, 1);
  const lines = [];
  for (let i = 0; i < POSTS; i++) {
    const t = start + i * 60000;
    const cols = [randomUUID(), authorIds[i % authorIds.length], words(6), words(30 + Math.floor(rand() * 40)),
      categories[i % categories.length], t, t];
    lines.push(cols.map((c) => `"${String(c).replaceAll('"', '""')}"`).join(','));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

// Search terms, drawn with the same skew as the data: common and rare words, prefixes, Korean;
// each kind alone, with a category, with an author, and with both (issue 19: a filter once made
// SQLite re-run the match per candidate post). Entries are [kind, q, filter name, extra query].
let authors = [];
const FILTERS = ['no filter', 'category', 'author', 'category + author'];
function filterFor(f) {
  const category = `&category=${pick(categories)}`;
  const author = `&authorId=${authors[Math.floor(rand() * authors.length)]}`;
  return ['', category, author, category + author][f];
}
function queries() {
  const out = [];
  for (let i = 0; i < QUERIES; i++) {
    const kind = i % 5;
    const f = Math.floor(i / 5) % FILTERS.length;
    let entry;
    if (kind === 0) entry = ['one word', pick(english)];
    else if (kind === 1) entry = ['two words', `${pick(english)} ${pick(english)}`];
    else if (kind === 2) entry = ['prefix (3 chars)', pick(english).slice(0, 3)];
    else if (kind === 3) entry = ['Korean word', pick(koreanNouns)];
    else entry = ['rare word', english[english.length - 1 - Math.floor(rand() * 1000)]];
    out.push([...entry, FILTERS[f], filterFor(f)]);
  }
  return out;
}

// Hostile searches of up to 10 words (and one of 20, of which 10 count), each alone and with
// every filter: the target is that none takes over 500 ms.
function pathological() {
  const letters = 'k l m n s t v z p g'.split(' ');
  const sets = [
    ['10 one-letter words', letters.join(' ')],
    ['20 one-letter words', [...letters, ...letters].join(' ')],
    ['10 common 3-letter prefixes', english.slice(0, 10).map((w) => w.slice(0, 3)).join(' ')],
    ['10 common words', english.slice(0, 10).join(' ')],
    ['10 one-syllable Korean words', hangul.slice(0, 10).join(' ')],
    ['10 words matching nothing', Array.from({ length: 10 }, (_, i) => `zzq${i}`).join(' ')],
  ];
  const out = [];
  for (const [kind, q] of sets) for (let f = 0; f < FILTERS.length; f++) out.push([kind, q, FILTERS[f], filterFor(f)]);
  return out;
}

// --- loading ---
function load(db, dir) {
  const m = runCli(['migrate', '--database', db.url]);
  if (m.status !== 0) throw new Error(`migrate failed: ${m.stderr}`);
  const authorIds = Array.from({ length: AUTHORS }, () => randomUUID());
  const csv = path.join(dir, 'posts.csv');
  seed = 42;
  generateCsv(csv, authorIds);
  authors = authorIds;
  const users = authorIds.map((id, i) => `('${id}', 'bench${i}@example.com', 'Bench ${i}', 'user', 'x', 0, 0)`).join(',');
  const insertUsers = `INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) VALUES ${users};`;
  const t0 = Date.now();
  if (db.url.startsWith('sqlite:')) {
    const file = db.url.slice('sqlite:'.length);
    const script = [insertUsers, 'CREATE TEMP TABLE raw (id, author_id, title, content, category, created_at, updated_at);',
      '.mode csv', `.import ${csv} raw`,
      'BEGIN;',
      'INSERT INTO forum_posts (id, author_id, title, content, category, pinned, locked, comment_count, like_count, created_at, updated_at) SELECT id, author_id, title, content, category, 0, 0, 0, 0, CAST(created_at AS INTEGER), CAST(updated_at AS INTEGER) FROM raw;',
      'COMMIT;', 'ANALYZE;'].join('\n');
    execFileSync('sqlite3', [file], { input: script, stdio: ['pipe', 'inherit', 'inherit'], timeout: 600000 });
  } else {
    psql(insertUsers, db.url);
    execFileSync('psql', [db.url, '-v', 'ON_ERROR_STOP=1', '-qc',
      `\\copy forum_posts (id, author_id, title, content, category, created_at, updated_at) FROM '${csv}' CSV`],
    { stdio: 'inherit', timeout: 600000 });
    // Every table: the search rows are written by triggers, and without their statistics and
    // visibility map the first searches plan blind and set hint bits (the SQLite load ANALYZEs all).
    psql('VACUUM ANALYZE', db.url);
  }
  return (Date.now() - t0) / 1000;
}

// --- measuring ---
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s[s.length - 1] };
}

async function measure(api, list, inFlight, deadline) {
  const samples = [];
  let next = 0;
  async function worker() {
    while (next < list.length && Date.now() < deadline) {
      const [kind, q, filter, extra] = list[next++];
      const t = performance.now();
      const r = await api.get(`/api/v1/forum/posts?q=${encodeURIComponent(q)}${extra}&limit=20`);
      const ms = performance.now() - t;
      // 503: the query deadline (O4O_QUERY_TIMEOUT_MS) ended it; counted, not hidden.
      if (r.status !== 200 && r.status !== 503) throw new Error(`q=${q}${extra}: ${r.status} ${r.text}`);
      samples.push({ kind, filter, ms, status: r.status, total: r.data?.total ?? 0 });
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  return samples;
}

// A database loaded before (load-postgres, load-sqlite): the generator is run again so that the
// queries drawn after it are the same, and the authors are read back in the order they were used.
function reuse(db, dir) {
  seed = 42;
  generateCsv(path.join(dir, 'posts.csv'), Array.from({ length: AUTHORS }, () => 'x'));
  const sql = `SELECT author_id FROM forum_posts ORDER BY seq LIMIT ${AUTHORS}`;
  authors = (db.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', [db.url.slice('sqlite:'.length), sql], { encoding: 'utf8' })
    : psql(sql, db.url)).trim().split('\n');
  return 0;
}

async function benchOne(kind) {
  const dir = mkdtempSync(path.join(tmpdir(), 'o4o-forum-bench-'));
  const given = process.env.BENCH_DB_URL;
  const db = given ? { url: given, drop() {} }
    : kind === 'postgres' ? freshPostgres() : { url: `sqlite:${path.join(dir, 'o4o.db')}`, drop() {} };
  let server;
  try {
    const loadSeconds = given ? reuse(db, dir) : load(db, dir);
    console.log(`${kind}: loaded ${POSTS} posts in ${loadSeconds.toFixed(1)} s`);
    server = await startServer({ database: db, admin: false, env: { O4O_RATE_LIMIT_RPS: '0', O4O_ACCESS_LOG: '0' } });
    const loadBefore = loadavg()[0];
    const list = queries();
    const deadline = Date.now() + SECONDS * 1000;
    await measure(server.api, list.slice(0, 30), 1, deadline);  // warm-up
    const seq = await measure(server.api, list, 1, deadline);
    const par = await measure(server.api, list, 4, Date.now() + SECONDS * 1000);
    const hostile = await measure(server.api, pathological(), 1, Date.now() + SECONDS * 1000);
    const plain = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await server.api.get(`/api/v1/forum/posts?page=${1 + (i % 50)}&limit=20`);
      plain.push(performance.now() - t);
    }
    return { kind, loadSeconds, seq, par, hostile, plain: summary(plain), load: [loadBefore, loadavg()[0]] };
  } finally {
    await server?.stop({ keepDatabase: true });
    db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// A PostgreSQL database of its own, dropped afterwards (same admin URL as the API tests).
function freshPostgres() {
  const admin = new URL(process.env.O4O_TEST_PG_URL || 'postgresql://o4o:o4o@127.0.0.1:5432/postgres');
  const name = 'o4o_bench_forum_' + randomUUID().slice(0, 8);
  psql(`CREATE DATABASE ${name}`);
  admin.pathname = '/' + name;
  return { url: admin.toString(), drop() { try { psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* best effort */ } } };
}

function table(results) {
  const fmt = (x) => x.toFixed(1);
  let out = '| database | queries | mode | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|\n';
  for (const r of results) {
    for (const [mode, samples] of [['sequential', r.seq], ['4 in flight', r.par]]) {
      const s = summary(samples.map((x) => x.ms));
      out += `| ${r.kind} | all (${s.n}) | ${mode} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |\n`;
    }
    const kinds = [...new Set(r.seq.map((x) => x.kind))];
    for (const k of kinds) {
      const xs = r.seq.filter((x) => x.kind === k);
      const s = summary(xs.map((x) => x.ms));
      const matches = Math.round(xs.reduce((a, x) => a + x.total, 0) / xs.length);
      out += `| ${r.kind} | ${k} (${s.n}, avg ${matches} matches) | sequential | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |\n`;
    }
    for (const f of FILTERS) {
      const xs = r.seq.filter((x) => x.filter === f);
      const s = summary(xs.map((x) => x.ms));
      out += `| ${r.kind} | ${f} (${s.n}) | sequential | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |\n`;
    }
    out += `| ${r.kind} | list without q (100) | sequential | ${fmt(r.plain.p50)} | ${fmt(r.plain.p95)} | ${fmt(r.plain.p99)} | ${fmt(r.plain.max)} |\n`;
  }
  return out;
}

// The hostile searches: each kind's time per filter setting, and the slowest.
function hostileTable(results) {
  let out = `| database | hostile search | ${FILTERS.map((f) => `${f} ms`).join(' | ')} | slowest ms | matches (no filter) |\n`;
  out += `|---|---|${FILTERS.map(() => '---|').join('')}---|---|\n`;
  for (const r of results) {
    for (const k of [...new Set(r.hostile.map((x) => x.kind))]) {
      const xs = r.hostile.filter((x) => x.kind === k);
      const per = FILTERS.map((f) => { const x = xs.find((y) => y.filter === f); return x ? x.ms.toFixed(1) : '-'; });
      out += `| ${r.kind} | ${k} | ${per.join(' | ')} | ${Math.max(...xs.map((x) => x.ms)).toFixed(1)} | ${xs[0].total} |\n`;
    }
    const cut = r.hostile.filter((x) => x.status !== 200).length;
    out += `| ${r.kind} | **all ${r.hostile.length}** (${cut} ended by the query deadline) |${FILTERS.map(() => ' |').join('')} **${Math.max(...r.hostile.map((x) => x.ms)).toFixed(1)}** | |\n`;
  }
  return out;
}

if (which === 'load-sqlite' || which === 'load-postgres') {  // keeps a loaded database: load-x DIR
  const dir = process.argv[3];
  const db = which === 'load-postgres' ? freshPostgres() : { url: `sqlite:${path.join(dir, 'o4o.db')}` };
  console.log(`${db.url} loaded in ${load(db, dir).toFixed(1)} s`);
  process.exit(0);
}
const kinds = which === 'both' ? ['sqlite', 'postgres'] : [which];
const results = [];
for (const k of kinds) results.push(await benchOne(k));
const date = execFileSync('date', { encoding: 'utf8' }).trim();
const md = `# Forum search benchmark

- Date: ${date}
- Machine: 2 cores shared with other engineers' builds and tests while measuring (load average at the
  end: ${loadavg().map((x) => x.toFixed(1)).join(', ')}), loopback HTTP, release build, rate limit off.
- Data: ${POSTS} posts by ${AUTHORS} authors loaded with SQL (\`bench/forum/run.mjs\`), ~6-word titles and
  30-70-word bodies drawn with a skew from 2,880 generated English-like words and 440 Korean nouns with
  particles (15% of words) (\`서울에서\`, \`모임은\`...), so common words match thousands of posts and rare ones a few.
- Queries: \`GET /api/v1/forum/posts?q=...&limit=20\` (ranked, with \`total\`), a mix of one word, two words,
  3-character prefixes, Korean words (without particle: prefix match) and rare words, a quarter each with no
  filter, \`category\`, \`authorId\`, and both; latency measured by the client, after 30 warm-up queries.
  Target: p95 under 50 ms. Then hostile searches of up to 10 words (and one of 20, of which only the first
  10 distinct count), alone and with each filter: target, none over 500 ms.
- Load time: ${results.map((r) => `${r.kind} ${r.loadSeconds.toFixed(1)} s`).join(', ')}.
- Load average (1 min) when each database's queries began and ended: ${results.map((r) => `${r.kind} ${r.load.map((x) => x.toFixed(1)).join(' → ')}`).join(', ')}.

${table(results)}
${hostileTable(results)}
`;
if (kinds.length === 2) {
  // The measured part is replaced; the hand-written "## Notes" that explain it are kept.
  const out = path.join(root, 'bench/results/forum.md');
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const notes = previous.indexOf('\n## Notes');
  writeFileSync(out, md.trimEnd() + '\n' + (notes >= 0 ? '\n' + previous.slice(notes) : ''));
}
console.log(md);
