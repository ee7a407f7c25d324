// Forum invariants under real parallel requests: one post per double submission, exact like and
// comment counts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { loginAdmin, register, assertOk } from './lib/fixtures.mjs';

const F = '/api/v1/forum';
const LIKERS = 30;
let server, api, admin, writer, likers;

async function createPost(token, title = `Post ${Date.now()} ${Math.random()}`) {
  return assertOk(await api.post(`${F}/posts`, { title, content: 'concurrency' }, { token }), 201);
}

before(async () => {
  server = await startServer();
  api = server.api;
  admin = await loginAdmin(api);
  writer = await register(api, { name: 'Writer' });
  likers = [];
  for (let i = 0; i < LIKERS; i += 10) {  // in batches: password hashing is slow on purpose
    likers.push(...await Promise.all(Array.from({ length: 10 }, (_, k) => register(api, { name: `Liker ${i + k}` }))));
  }
});
after(async () => { await server?.stop(); });

describe('parallel requests', () => {
  it('posts created and deleted in parallel keep the category count and the totals exact', async () => {
    const category = `cc-${Date.now() % 100000}`;
    const made = await Promise.all(likers.slice(0, 24).map((u, i) => api.post(`${F}/posts`,
      { title: `Count me ${i}`, content: 'parallel', category }, { token: u.token })));
    const ids = made.map((r) => assertOk(r, 201).id);
    const gone = await Promise.all(ids.slice(0, 8).map((id, i) => api.del(`${F}/posts/${id}`, { token: likers[i].token })));
    for (const r of gone) assertOk(r);
    const cats = assertOk(await api.get(`${F}/categories`));
    assert.equal(cats.find((c) => c.name === category)?.count, 16);
    assert.equal(assertOk(await api.get(`${F}/posts?category=${category}`)).total, 16);
    assert.equal(assertOk(await api.get(`${F}/posts`)).total, cats.reduce((a, c) => a + c.count, 0));
  });

  it('a double submission in parallel creates one post; every answer is 201 with it', async () => {
    const body = { title: `Parallel dup ${Date.now()}`, content: 'clicked many times' };
    const answers = await Promise.all(Array.from({ length: 12 }, () => api.post(`${F}/posts`, body, { token: writer.token })));
    const ids = new Set(answers.map((r) => assertOk(r, 201).id));
    assert.equal(ids.size, 1, `distinct posts: ${[...ids]}`);
    const mine = assertOk(await api.get(`${F}/posts?authorId=${writer.user.id}&limit=100`));
    assert.equal(mine.items.filter((p) => p.title === body.title).length, 1);
  });

  it(`${LIKERS} users liking at once count ${LIKERS}; repeated likes from one user count once`, async () => {
    const post = await createPost(writer.token);
    const answers = await Promise.all(likers.map((u) => api.post(`${F}/posts/${post.id}/like`, undefined, { token: u.token })));
    for (const r of answers) assert.equal(assertOk(r).likedByMe, true);
    assert.equal(assertOk(await api.get(`${F}/posts/${post.id}`)).likeCount, LIKERS);

    const repeat = await Promise.all(Array.from({ length: 20 }, () => api.post(`${F}/posts/${post.id}/like`, undefined, { token: writer.token })));
    for (const r of repeat) assertOk(r);
    assert.equal(assertOk(await api.get(`${F}/posts/${post.id}`)).likeCount, LIKERS + 1);

    const mixed = await Promise.all([
      ...likers.slice(0, 10).map((u) => api.del(`${F}/posts/${post.id}/like`, { token: u.token })),
      ...Array.from({ length: 10 }, () => api.del(`${F}/posts/${post.id}/like`, { token: writer.token })),
    ]);
    for (const r of mixed) assertOk(r);
    const after = assertOk(await api.get(`${F}/posts/${post.id}`, { token: likers[0].token }));
    assert.equal(after.likeCount, LIKERS - 10);
    assert.equal(after.likedByMe, false);
  });

  it('parallel comments and deletions keep commentCount equal to the comments', async () => {
    const post = await createPost(writer.token);
    const created = await Promise.all(likers.map((u, i) => api.post(`${F}/posts/${post.id}/comments`, { content: `c${i}` }, { token: u.token })));
    const comments = created.map((r) => assertOk(r, 201));
    let got = assertOk(await api.get(`${F}/posts/${post.id}`));
    assert.equal(got.commentCount, LIKERS);
    assert.equal(got.comments.length, LIKERS);

    const victim = comments[0];
    const deletes = await Promise.all([
      ...Array.from({ length: 5 }, () => api.del(`${F}/posts/${post.id}/comments/${victim.id}`, { token: admin.token })),
      ...comments.slice(1, 6).map((c, i) => api.del(`${F}/posts/${post.id}/comments/${c.id}`, { token: likers[i + 1].token })),
    ]);
    const statuses = deletes.map((r) => r.status);
    assert.equal(statuses.slice(0, 5).filter((s) => s === 200).length, 1, `victim deletes: ${statuses}`);
    assert.ok(statuses.slice(0, 5).every((s) => s === 200 || s === 404), `${statuses}`);
    assert.ok(statuses.slice(5).every((s) => s === 200), `${statuses}`);
    got = assertOk(await api.get(`${F}/posts/${post.id}`));
    assert.equal(got.comments.length, LIKERS - 6);
    assert.equal(got.commentCount, LIKERS - 6);
  });

  it('locking while comments arrive: every comment either lands (201) or is refused (409)', async () => {
    const post = await createPost(writer.token);
    const answers = await Promise.all([
      ...likers.slice(0, 15).map((u) => api.post(`${F}/posts/${post.id}/comments`, { content: 'race' }, { token: u.token })),
      api.put(`${F}/posts/${post.id}`, { locked: true }, { token: admin.token }),
    ]);
    const statuses = answers.slice(0, 15).map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), `${statuses}`);
    assertOk(answers[15]);
    const got = assertOk(await api.get(`${F}/posts/${post.id}`));
    assert.equal(got.commentCount, statuses.filter((s) => s === 201).length);
    assert.equal(got.comments.length, got.commentCount);
  });

  it('deleting a post while it is liked and commented leaves no orphans and no 500', async () => {
    const post = await createPost(writer.token);
    const answers = await Promise.all([
      ...likers.slice(0, 10).map((u) => api.post(`${F}/posts/${post.id}/like`, undefined, { token: u.token })),
      ...likers.slice(10, 20).map((u) => api.post(`${F}/posts/${post.id}/comments`, { content: 'x' }, { token: u.token })),
      api.del(`${F}/posts/${post.id}`, { token: writer.token }),
    ]);
    for (const r of answers) assert.ok([200, 201, 404].includes(r.status), `${r.status} ${r.text}`);
    assert.equal((await api.get(`${F}/posts/${post.id}`)).status, 404);
  });
});
