import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiRegister, uiLogin, uniqueEmail, apiCall, apiLogin, ADMIN } from './helpers.mjs';

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

test('Markdown formats a post safely: links are the user\'s, scripts stay inert; an edited comment says so', { timeout: 120_000 }, async () => {
  const page = await newPage(env.browser, env.server.baseURL);
  let dialogs = 0;
  page.on('dialog', () => dialogs++);
  await uiRegister(page, { name: 'Marky Down', email: uniqueEmail('marky'), password: 'Marky-pass-42' });
  const title = `Formatting ${Date.now().toString(36)}`;
  const content = [
    '## Packing list',
    '',
    '- **tent** and *stakes*',
    '- a [map](https://example.com/map)',
    '',
    '> bring water',
    '',
    '<script>window.__pwned = 1</script> [bad](javascript:window.__pwned=2) <b onmouseover="window.__pwned=3">hover</b>',
  ].join('\n');
  await writePost(page, { title, content });

  const body = page.locator('main .markdown').first();
  await body.getByRole('heading', { name: 'Packing list', level: 2 }).waitFor();
  assert.equal(await body.locator('li strong').innerText(), 'tent');
  assert.equal(await body.locator('li em').innerText(), 'stakes');
  assert.equal(await body.locator('blockquote').innerText(), 'bring water');
  const link = body.getByRole('link', { name: 'map' });
  assert.equal(await link.getAttribute('href'), 'https://example.com/map');
  assert.equal(await link.getAttribute('rel'), 'nofollow ugc noopener');
  // raw HTML stays text; a javascript: link is no link
  await body.getByText('<script>window.__pwned = 1</script>').waitFor();
  assert.equal(await body.locator('script, b, [onmouseover]').count(), 0);
  assert.equal(await page.locator('main a[href^="javascript:"]').count(), 0);
  await body.getByText('hover</b>', { exact: false }).hover();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);

  // a comment is Markdown too, and once edited says "edited"
  await page.getByLabel('Write a comment').fill('See **you** there');
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  const comments = page.getByTestId('comment-list');
  await comments.locator('strong').filter({ hasText: 'you' }).waitFor();
  assert.equal(await comments.getByTestId('comment-edited').count(), 0);
  await comments.getByRole('button', { name: 'Edit' }).click();
  await comments.getByLabel('Edit').fill('See **you** at 6');
  await comments.getByRole('button', { name: 'Save' }).click();
  await comments.getByText('at 6').waitFor();
  await comments.getByTestId('comment-edited').filter({ hasText: 'edited' }).waitFor();

  // the list's preview is the text without its marks
  await page.goto('/forum');
  const row = page.getByRole('article').filter({ has: page.getByRole('link', { name: title }) });
  const preview = await row.locator('p').first().innerText();
  assert.match(preview, /^Packing list tent and stakes a map bring water/);
  assert.doesNotMatch(preview, /\*\*|##|\]\(https/);
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('an admin names a category in Korean and English; the post form and the list show the name, the URL keeps the slug', { timeout: 120_000 }, async () => {
  const slug = `camp-${Date.now().toString(36)}`;
  const admin = await apiLogin(env.server.baseURL, ADMIN.email, ADMIN.password);
  await apiCall(env.server.baseURL, 'POST', '/forum/posts', { token: admin.accessToken, body: { title: `First in ${slug}`, content: 'hello', category: slug } });

  const page = await newPage(env.browser, env.server.baseURL);
  await uiLogin(page, ADMIN);
  await page.goto('/admin/categories');
  const form = page.getByRole('form', { name: slug });
  await form.getByLabel('Korean name').fill('캠핑');
  await form.getByLabel('English name').fill('Camping');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await page.context().close();

  // A Korean reader sees the Korean name in the filter, the post and the post form's select
  const ko = await newPage(env.browser, env.server.baseURL, { locale: 'ko-KR' });
  await ko.goto('/forum');
  await ko.getByRole('button', { name: /^캠핑/ }).click();
  await ko.waitForURL(new RegExp(`category=${slug}`));
  await ko.getByRole('link', { name: `First in ${slug}` }).click();
  await ko.getByRole('link', { name: '캠핑' }).waitFor();
  await uiRegisterKo(ko);
  await ko.goto(`/forum/new?category=${slug}`);
  const select = ko.getByLabel('카테고리', { exact: true });
  assert.equal(await select.inputValue(), slug);
  // The names arrive with the categories query, which may answer after the select has its value.
  let shown = '';
  for (const end = Date.now() + 10_000; Date.now() < end; await ko.waitForTimeout(100)) {
    shown = (await select.locator('option:checked').innerText()).trim();
    if (shown === `캠핑 (${slug})`) break;
  }
  assert.equal(shown, `캠핑 (${slug})`);
  assert.deepEqual(ko.pageErrors, []);
  await ko.context().close();

  // and an English reader the English one
  const en = await newPage(env.browser, env.server.baseURL);
  await en.goto('/forum');
  await en.getByRole('button', { name: /^Camping/ }).waitFor();
  await en.context().close();
});

async function uiRegisterKo(page) {
  const email = uniqueEmail('hangul');
  await apiCall(env.server.baseURL, 'POST', '/auth/register', { body: { email, password: 'Hangul-pass-42', name: '김캠퍼' } });
  await page.goto('/login');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill('Hangul-pass-42');
  await page.getByRole('button', { name: '로그인' }).click();
  await page.getByTestId('current-user').filter({ hasText: '김캠퍼' }).waitFor();
}
