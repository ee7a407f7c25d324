// Trust and sharing (issue 20): the seller's details and the platform's time zone in /config for
// the web app's footer and schedules; shared links: the app's product, project and forum post pages
// carry their title, description, picture and price as Open Graph and Twitter card tags in the
// HTML the server sends, so previews in KakaoTalk, Slack or X (which run no scripts) show them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startServer } from './lib/harness.mjs';
import { standardAccounts, assertOk } from './lib/fixtures.mjs';

const INDEX = '<!doctype html>\n<html lang="ko">\n  <head>\n    <meta charset="UTF-8" />\n    <title>O4O Platform</title>\n  </head>\n  <body><div id="root"></div><script type="module" src="/assets/app.js"></script></body>\n</html>\n';
const PUBLIC = 'https://shop.example.kr';
let server, api, admin, creator, user, webRoot;

before(async () => {
  webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'o4o-share-'));
  fs.writeFileSync(path.join(webRoot, 'index.html'), INDEX);
  server = await startServer({ webRoot, env: { O4O_PUBLIC_URL: PUBLIC, O4O_BUSINESS_NAME: '(주)오포오', O4O_BUSINESS_REGISTRATION_NUMBER: '123-45-67890', O4O_BUSINESS_EMAIL: 'help@o4o.example', O4O_TIME_ZONE: 'Asia/Seoul' } });
  api = server.api;
  ({ admin, creator, user } = await standardAccounts(api));
});
after(async () => {
  await server?.stop();
  fs.rmSync(webRoot, { recursive: true, force: true });
});

// Every <meta property|name=... content=...> of the page, by its name.
function metaOf(html) {
  const out = {};
  for (const m of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)" \/>/g)) out[m[1]] = m[2];
  return out;
}
const unescape = (s) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

test('GET /config carries the seller\'s configured details (null where unset) and the time zone', async () => {
  const cfg = assertOk(await api.get('/api/v1/config'));
  assert.equal(cfg.timeZone, 'Asia/Seoul');
  assert.deepEqual(cfg.business, { name: '(주)오포오', representative: null, registrationNumber: '123-45-67890', mailOrderNumber: null, address: null, phone: null, email: 'help@o4o.example' });
});

test('a product page carries its name, description, picture and price', async () => {
  const cfg = assertOk(await api.get('/api/v1/config'));
  const name = `한지 조명 "달" <b>${randomUUID().slice(0, 6)}</b>`;
  const p = assertOk(await api.post('/api/v1/ecommerce/products', { name, description: '손으로 뜬 한지로 만든   조명.\n\n따뜻한 빛.', price: 45000 * 10 ** cfg.fractionDigits, category: 'home', stock: 3, imageUrl: '/media/abc.webp' }, { token: admin.token }), 201);
  const r = await api.get(`/shop/products/${p.id}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.ok(r.text.includes('<div id="root"></div>'), 'the app itself is served');
  assert.ok(!r.text.includes('<b>'), 'the name is escaped');
  const titles = [...r.text.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => unescape(m[1]));
  assert.deepEqual(titles, [`${name} · O4O`], 'one title: the page\'s');
  const meta = metaOf(r.text);
  assert.equal(unescape(meta['og:title']), name);
  assert.equal(unescape(meta['og:description']), '손으로 뜬 한지로 만든 조명. 따뜻한 빛.');
  assert.equal(meta['og:type'], 'product');
  assert.equal(meta['og:url'], `${PUBLIC}/shop/products/${p.id}`);
  assert.equal(meta['og:image'], `${PUBLIC}/media/abc.webp`);
  assert.equal(meta['twitter:card'], 'summary_large_image');
  assert.equal(meta['twitter:image'], `${PUBLIC}/media/abc.webp`);
  assert.equal(meta['product:price:currency'], cfg.currency);
  assert.equal(Number(meta['product:price:amount']), 45000);
  // HEAD answers the same page without a body
  const head = await fetch(`${server.baseUrl}/shop/products/${p.id}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
});

test('a project page and a forum post page carry theirs; a long text is shortened', async () => {
  const project = assertOk(await api.post('/api/v1/crowdfunding/projects', { title: '마을 도서관 만들기', description: '가'.repeat(500), goal: 1000000, deadline: new Date(Date.now() + 9 * 86400000).toISOString(), imageUrl: 'https://img.example.com/lib.jpg' }, { token: creator.token }), 201);
  let meta = metaOf((await api.get(`/projects/${project.id}`)).text);
  assert.equal(meta['og:title'], '마을 도서관 만들기');
  assert.equal(meta['og:description'], `${'가'.repeat(199)}…`);
  assert.equal(meta['og:image'], 'https://img.example.com/lib.jpg');
  assert.equal(meta['product:price:amount'], undefined);

  const post = assertOk(await api.post('/api/v1/forum/posts', { title: '주말 모임 <script>', content: '토요일 2시에 만나요' }, { token: user.token }), 201);
  const page = await api.get(`/forum/posts/${post.id}`);
  assert.ok(!page.text.includes('<script>alert') && !page.text.includes('모임 <script>'));
  meta = metaOf(page.text);
  assert.equal(unescape(meta['og:title']), '주말 모임 <script>');
  assert.equal(meta['og:type'], 'article');
  assert.equal(meta['twitter:card'], 'summary', 'no picture: the small card');
  assert.equal(meta['og:image'], undefined);
});

test('an unknown id is the app\'s page answered 404; the app\'s own words (/projects/new) are its pages', async () => {
  for (const p of [`/shop/products/${randomUUID()}`, `/projects/${randomUUID()}`, `/forum/posts/${randomUUID()}`]) {
    const r = await api.get(p);
    assert.equal(r.status, 404, p);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(r.text.includes('<title>O4O Platform</title>') && !r.text.includes('og:title'), p);
  }
  const fresh = await api.get('/projects/new');
  assert.equal(fresh.status, 200);
  assert.ok(fresh.text.includes('<div id="root"></div>') && !fresh.text.includes('og:title'));
  // the API answers as before
  assert.equal((await api.get(`/api/v1/ecommerce/products/${randomUUID()}`)).json.error.code, 'NOT_FOUND');
});
