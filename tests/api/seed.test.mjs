// o4o seed: the demo data in the install's language (Korean by default, English with --locale en
// or O4O_SEED_LOCALE=en), safe to run twice, and a language it does not have refused.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, runCli, startServer } from './lib/harness.mjs';

const dbs = [];
after(() => dbs.forEach((d) => d.drop()));

async function seededCatalogue(args, env = {}) {
  const db = freshDatabase();
  dbs.push(db);
  for (let i = 0; i < 2; i++) {
    const r = runCli(['seed', '--database', db.url, ...args], { env, timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
  }
  const server = await startServer({ database: db, admin: false });
  try {
    const get = async (path) => (await server.api.get(path)).json.data;
    return {
      products: (await get('/api/v1/ecommerce/products?limit=100')).items,
      projects: (await get('/api/v1/crowdfunding/projects?limit=100')).items,
      posts: (await get('/api/v1/forum/posts?limit=100')).items,
    };
  } finally {
    await server.stop();
  }
}

describe('o4o seed', () => {
  it('loads the demo in Korean by default, once however often it runs', async () => {
    const { products, projects, posts } = await seededCatalogue([]);
    assert.equal(products.length, 12);
    assert.equal(projects.length, 3);
    assert.equal(posts.length, 4);
    assert.ok(products.some((p) => p.name === '유기농 녹차 티백' && p.category === '식품'));
    assert.ok(projects.some((p) => p.title === '동네 수리 카페'));
    assert.ok(posts.some((p) => p.title === 'O4O 커뮤니티 포럼에 오신 것을 환영합니다'));
  });

  it('loads it in English for an English install (--locale en or O4O_SEED_LOCALE=en)', async () => {
    for (const [args, env] of [[['--locale', 'en'], {}], [[], { O4O_SEED_LOCALE: 'en' }]]) {
      const { products, projects, posts } = await seededCatalogue(args, env);
      assert.equal(products.length, 12);
      const hangul = /[\u3131-\uD7A3]/;
      for (const p of products) assert.doesNotMatch(`${p.name} ${p.description} ${p.category}`, hangul, p.name);
      for (const p of projects) assert.doesNotMatch(`${p.title} ${p.description}`, hangul, p.title);
      for (const p of posts) assert.doesNotMatch(`${p.title} ${p.content}`, hangul, p.title);
      assert.ok(products.some((p) => p.name === 'Organic Green Tea Bags' && p.category === 'Food'));
      assert.ok(projects.some((p) => p.title === 'Neighbourhood repair café'));
      assert.equal(projects.length, 3);
      assert.equal(posts.length, 4);
    }
  });

  it('refuses a language it does not have', () => {
    const db = freshDatabase();
    dbs.push(db);
    const flag = runCli(['seed', '--database', db.url, '--locale', 'fr']);
    assert.notEqual(flag.status, 0);
    const env = runCli(['seed', '--database', db.url], { env: { O4O_SEED_LOCALE: 'fr' } });
    assert.notEqual(env.status, 0);
    assert.match(env.stderr, /O4O_SEED_LOCALE must be ko or en/);
  });
});
