import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiRegister, uniqueEmail } from './helpers.mjs';

const env = serverAndBrowser();

async function writePost(page, { title, content, category = 'general' }) {
  await page.goto('/forum');
  await page.getByRole('link', { name: 'Write a post' }).click();
  await page.getByLabel('Title').fill(title);
  // an existing category is picked from the list; a new one is typed
  const select = page.getByLabel('Category', { exact: true });
  const known = await select.locator('option').evaluateAll((os, c) => os.some((o) => o.value === c), category);
  if (known) await select.selectOption(category);
  else {
    await select.selectOption('__new__');
    await page.getByLabel('New category name').fill(category);
  }
  await page.getByLabel('Content').fill(content);
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByTestId('post-title').filter({ hasText: title }).waitFor();
}

test('post, comment, like, and search finds the post', { timeout: 120_000 }, async () => {
  const page = await newPage(env.browser, env.server.baseURL);
  await uiRegister(page, { name: 'Polly Poster', email: uniqueEmail('poster'), password: 'Poster-pass-42' });
  const word = `zebracorn${Date.now().toString(36)}`;
  await writePost(page, { title: `Where to watch the ${word} parade`, content: 'Looking for a good spot near the river.', category: 'events' });

  await page.getByLabel('Write a comment').fill('By the bridge, arrive early!');
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await page.getByTestId('comment-list').getByText('By the bridge, arrive early!').waitFor();
  await page.getByRole('heading', { name: 'Comments 1' }).waitFor();

  await page.getByRole('button', { name: /^Like/ }).click();
  await page.getByTestId('like-count').filter({ hasText: '1' }).waitFor();

  // edit the comment
  await page.getByTestId('comment-list').getByRole('button', { name: 'Edit' }).click();
  await page.getByTestId('comment-list').getByLabel('Edit').fill('By the bridge, arrive by 6 pm!');
  await page.getByTestId('comment-list').getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('comment-list').getByText('By the bridge, arrive by 6 pm!').waitFor();

  // search by a word prefix finds it, with counts in the list
  await page.goto('/forum');
  await page.getByLabel('Search', { exact: true }).fill(word.slice(0, 9));
  await page.getByRole('button', { name: 'Search' }).click();
  const list = page.getByTestId('post-list');
  await list.getByRole('link', { name: `Where to watch the ${word} parade` }).waitFor();
  await list.getByText('Comments 1').waitFor();
  await list.getByText('Likes 1').waitFor();

  // a category filter narrows the list
  await page.goto('/forum');
  await page.getByRole('button', { name: /^events/ }).click();
  await list.getByRole('link', { name: `Where to watch the ${word} parade` }).waitFor();
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('a post with <script> and <img onerror> shows as text and runs nothing', { timeout: 90_000 }, async () => {
  const page = await newPage(env.browser, env.server.baseURL);
  let dialogs = 0;
  page.on('dialog', () => dialogs++);
  await uiRegister(page, { name: 'Mallory <i>Mal</i>', email: uniqueEmail('mallory'), password: 'Mallory-pass-42' });
  const title = '<script>window.__pwned = 1; alert(1)</script> hello';
  const content = 'Look: <img src=x onerror="window.__pwned = 2; alert(2)"> and <script>window.__pwned = 3</script>\n**not bold** <a href="javascript:alert(3)">click</a>';
  await writePost(page, { title, content });

  // the markup is visible as literal text
  await page.getByTestId('post-title').filter({ hasText: title }).waitFor();
  await page.getByText('<img src=x onerror="window.__pwned = 2; alert(2)">', { exact: false }).waitFor();
  const comment = '<img src=y onerror="window.__pwned = 4">';
  await page.getByLabel('Write a comment').fill(comment);
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await page.getByTestId('comment-list').getByText(comment).waitFor();

  // and nothing ran or was turned into elements
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('main img[src="x"], main img[src="y"]').count(), 0);
  assert.equal(await page.locator('main a[href^="javascript:"]').count(), 0);
  assert.equal(dialogs, 0);

  // the list and the home page render it as text too
  await page.goto('/forum');
  await page.getByRole('link', { name: title }).waitFor();
  await page.goto('/');
  await page.getByRole('link', { name: title }).waitFor();
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);
  await page.context().close();
});
