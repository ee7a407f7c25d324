// Editing what exists: a forum post and a comment, a project, a product (admin) and a display's
// weekly schedule (admin). Each form shows what was saved, refuses bad input before sending, and
// shows the server's own message when the server refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiLogin, uniqueEmail, apiCall, apiError, apiLogin, moneyFormatter, ADMIN } from './helpers.mjs';

const env = serverAndBrowser();

/** Registers an account through the API; returns its login details and access token. */
async function account(prefix, name, role = 'user') {
  const who = { email: uniqueEmail(prefix), password: `${prefix}-Pass-42`, name };
  const r = await apiCall(env.server.baseURL, 'POST', '/auth/register', { body: { ...who, role } });
  return { ...who, token: r.accessToken };
}

/** Counts the page's requests with this method whose path contains `part`. */
function countRequests(page, method, part) {
  const seen = { count: 0 };
  page.on('request', (r) => r.method() === method && r.url().includes(part) && seen.count++);
  return seen;
}

/** The message shown under a field (its aria-describedby element). */
async function fieldMessage(field) {
  const id = await field.getAttribute('aria-describedby');
  return id ? field.page().locator(`[id="${id}"]`).innerText() : null;
}

/** Puts `value` in the field and submits: the field shows `message` and nothing was sent. */
async function refusedBeforeSending(field, value, submit, message, sent) {
  await field.fill(value);
  await submit.click();
  await field.and(field.page().locator('[aria-invalid="true"]')).waitFor();
  assert.equal(await fieldMessage(field), message);
  assert.equal(sent.count, 0, 'nothing was sent while the form is invalid');
}

test('the author edits a forum post and a comment; bad input is refused, a second submit while saving sends nothing, and a server refusal shows its message', { timeout: 90_000 }, async () => {
  const author = await account('editor', 'Eddie Editor');
  const post = await apiCall(env.server.baseURL, 'POST', '/forum/posts', { token: author.token, body: { title: 'Fist draft title', content: 'Typo in the title.', category: 'general' } });
  const comment = await apiCall(env.server.baseURL, 'POST', `/forum/posts/${post.id}/comments`, { token: author.token, body: { content: 'First thought' } });
  const page = await newPage(env.browser, env.server.baseURL);
  await uiLogin(page, author);
  const puts = countRequests(page, 'PUT', `/forum/posts/${post.id}`);

  // the post: a bad category is refused before sending, then the new text is shown
  await page.goto(`/forum/posts/${post.id}`);
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: 'Edit post' }).waitFor();
  assert.equal(await page.getByLabel('Title').inputValue(), 'Fist draft title');
  await page.getByLabel('Category', { exact: true }).selectOption('__new__');
  await refusedBeforeSending(page.getByLabel('New category name'), 'Not valid!', page.getByRole('button', { name: 'Save' }), 'Use 1–40 lowercase letters, digits or dashes.', puts);
  await page.getByLabel('New category name').fill('travel');
  await page.getByLabel('Title').fill('First draft title');
  await page.getByLabel('Content').fill('Typo fixed.\nAnd a second line.');

  // while the save is on its way the button is off, and submitting again sends nothing more
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(`**/api/v1/forum/posts/${post.id}`, async (route) => {
    if (route.request().method() === 'PUT') await held;
    await route.continue();
  });
  const sent = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith(`/forum/posts/${post.id}`));
  await page.getByRole('button', { name: 'Save' }).click();
  await sent;
  assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true);
  await page.locator('form').filter({ has: page.getByLabel('Category', { exact: true }) }).evaluate((f) => f.requestSubmit());
  await page.waitForTimeout(300);
  release();
  await page.getByTestId('post-title').filter({ hasText: 'First draft title' }).waitFor();
  await page.unroute(`**/api/v1/forum/posts/${post.id}`);
  assert.equal(puts.count, 1, 'one save was sent');
  await page.getByText('Typo fixed.').waitFor();
  await page.getByRole('link', { name: 'travel', exact: true }).waitFor();
  assert.match(page.url(), new RegExp(`/forum/posts/${post.id}$`));

  // the comment: the edit shows at once, and a reload keeps it
  const comments = page.getByTestId('comment-list');
  await comments.getByRole('button', { name: 'Edit' }).click();
  await comments.getByLabel('Edit').fill('Second thought');
  await comments.getByRole('button', { name: 'Save' }).click();
  await comments.getByText('Second thought').waitFor();
  await page.reload();
  await comments.getByText('Second thought').waitFor();

  // a comment deleted meanwhile: saving shows the server's message; cancelling clears it
  await comments.getByRole('button', { name: 'Edit' }).click();
  await apiCall(env.server.baseURL, 'DELETE', `/forum/posts/${post.id}/comments/${comment.id}`, { token: author.token });
  const gone = await apiError(env.server.baseURL, 'PUT', `/forum/posts/${post.id}/comments/${comment.id}`, { token: author.token, body: { content: 'Third thought' } });
  await comments.getByLabel('Edit').fill('Third thought');
  await comments.getByRole('button', { name: 'Save' }).click();
  assert.equal(gone.code, 'NOT_FOUND');
  await comments.getByRole('alert').filter({ hasText: 'We could not find that. It may have been removed.' }).waitFor();
  await comments.getByRole('button', { name: 'Cancel' }).click();
  await comments.getByRole('alert').waitFor({ state: 'detached' });

  // a post deleted while its form is open: the server's message is shown and the form stays
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: 'Edit post' }).waitFor();
  await apiCall(env.server.baseURL, 'DELETE', `/forum/posts/${post.id}`, { token: author.token });
  const missing = await apiError(env.server.baseURL, 'PUT', `/forum/posts/${post.id}`, { token: author.token, body: { title: 'Too late' } });
  await page.getByLabel('Title').fill('Too late');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.equal(missing.code, 'NOT_FOUND');
  await page.getByRole('alert').filter({ hasText: 'We could not find that. It may have been removed.' }).waitFor();
  await page.getByRole('heading', { name: 'Edit post' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save' }).isEnabled(), true);
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('a creator edits a project; once someone pledged, the server refuses a new goal with its message', { timeout: 90_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const unit = 10 ** money.cfg.fractionDigits;
  const creator = await account('maker', 'Mia Maker', 'creator');
  const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString();
  const project = await apiCall(env.server.baseURL, 'POST', '/crowdfunding/projects', {
    token: creator.token,
    body: { title: 'Rain barrel', description: 'Collects rain.', goal: 500_000 * unit, deadline },
  });
  const page = await newPage(env.browser, env.server.baseURL);
  await uiLogin(page, creator);
  const puts = countRequests(page, 'PUT', `/crowdfunding/projects/${project.id}`);

  await page.goto(`/projects/${project.id}`);
  await page.getByRole('link', { name: 'Edit project' }).click();
  await page.getByRole('heading', { name: 'Edit project' }).waitFor();
  assert.equal(await page.getByLabel('Title').inputValue(), 'Rain barrel');
  assert.equal(await page.getByLabel(/^Goal/).inputValue(), money.major(500_000 * unit));

  // an empty title is refused before sending
  await refusedBeforeSending(page.getByLabel('Title'), '  ', page.getByRole('button', { name: 'Save' }), 'This field is required.', puts);

  // the new title, description and goal show on the project page
  await page.getByLabel('Title').fill('Rain barrel, 200 litres');
  await page.getByLabel('Description').fill('Collects rain from the roof.\nFits any downpipe.');
  await page.getByLabel(/^Goal/).fill(money.major(400_000 * unit));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { level: 1, name: 'Rain barrel, 200 litres' }).waitFor();
  await page.getByText('Fits any downpipe.').waitFor();
  await page.getByText(`of ${money.format(400_000 * unit)}`, { exact: false }).waitFor();

  // someone pledges while the form is open: the server refuses the new goal, the form says why
  await page.getByRole('link', { name: 'Edit project' }).click();
  await page.getByRole('heading', { name: 'Edit project' }).waitFor();
  const backer = await account('backer', 'Bo Backer');
  await apiCall(env.server.baseURL, 'POST', `/crowdfunding/projects/${project.id}/fund`, { token: backer.token, body: { amount: 1_000 * unit }, headers: { 'Idempotency-Key': `edit-test-${Date.now()}` } });
  const refused = await apiError(env.server.baseURL, 'PUT', `/crowdfunding/projects/${project.id}`, { token: creator.token, body: { goal: 300_000 * unit } });
  await page.getByLabel(/^Goal/).fill(money.major(300_000 * unit));
  await page.getByRole('button', { name: 'Save' }).click();
  assert.equal(refused.code, 'CONFLICT');
  await page.getByRole('alert').filter({ hasText: 'This changed in the meantime and cannot be done now.' }).waitFor();
  await page.getByRole('heading', { name: 'Edit project' }).waitFor();

  // opened again, the form says the goal is locked and does not let it change
  await page.reload();
  await page.getByText('Goal and deadline cannot change after the first pledge.').waitFor();
  assert.equal(await page.getByLabel(/^Goal/).isDisabled(), true);
  assert.equal(await page.getByLabel(/^Goal/).inputValue(), money.major(400_000 * unit));
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('a creator edits reward tiers after launch: a chosen tier keeps its minimum, an unchosen one is retired, a new one is added; on a phone in Korean', { timeout: 120_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const unit = 10 ** money.cfg.fractionDigits;
  const creator = await account('tiers', '한지수', 'creator');
  const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString();
  const project = await apiCall(env.server.baseURL, 'POST', '/crowdfunding/projects', {
    token: creator.token,
    body: { title: '빗물 저금통', description: '지붕의 빗물을 모읍니다.', goal: 500_000 * unit, deadline, rewards: [{ title: '얼리버드', minAmount: 20_000 * unit, limit: 5 }, { title: '감사 카드', minAmount: 5_000 * unit }] },
  });
  const [early, card] = project.rewards;
  const backer = await account('tierbacker', 'Bo Backer');
  await apiCall(env.server.baseURL, 'POST', `/crowdfunding/projects/${project.id}/fund`, { token: backer.token, body: { amount: 20_000 * unit, rewardId: early.id }, headers: { 'Idempotency-Key': `tiers-${Date.now()}` } });

  const page = await newPage(env.browser, env.server.baseURL, { locale: 'ko-KR', viewport: { width: 390, height: 844 } });
  await page.goto('/login');
  await page.getByLabel('이메일').fill(creator.email);
  await page.getByLabel('비밀번호').fill(creator.password);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`/projects/${project.id}/edit`);
  const chosen = page.getByRole('form', { name: '얼리버드' });
  // someone chose it: its minimum is shown but fixed, and why
  const min = chosen.getByLabel('최소 후원 금액');
  assert.equal(await min.isDisabled(), true);
  await chosen.getByText('1명이 고른 리워드라 최소 후원 금액은 그대로 둡니다.').waitFor();
  assert.equal(await chosen.getByRole('button', { name: '내리기' }).count(), 0, 'a chosen tier cannot be retired');
  // its limit cannot go below the one already chosen: refused before sending
  const puts = countRequests(page, 'PUT', `/rewards/${early.id}`);
  await refusedBeforeSending(chosen.getByLabel('수량 제한 (선택)'), '0', chosen.getByRole('button', { name: '저장' }), '≥ 1', puts);
  await chosen.getByLabel('수량 제한 (선택)').fill('3');
  await chosen.getByLabel('리워드 이름').fill('얼리버드 (한정)');
  await chosen.getByRole('button', { name: '저장' }).click();
  await chosen.getByRole('status').filter({ hasText: '저장했습니다' }).waitFor();
  assert.equal(puts.count, 1);

  // the unchosen tier is retired after a confirmation
  await page.getByRole('form', { name: '감사 카드' }).getByRole('button', { name: '내리기' }).click();
  await page.getByRole('form', { name: '감사 카드' }).waitFor({ state: 'detached' });

  // a new tier: its title field takes the focus; a missing minimum is refused before sending
  await page.getByRole('button', { name: '리워드 추가' }).click();
  const fresh = page.getByRole('form', { name: '새 리워드' });
  const freshTitle = fresh.getByLabel('리워드 이름');
  await freshTitle.waitFor();
  assert.equal(await freshTitle.evaluate((el) => el === document.activeElement), true);
  await freshTitle.fill('머그컵');
  await fresh.getByRole('button', { name: '리워드 추가' }).click();
  await fresh.getByLabel('최소 후원 금액').and(page.locator('[aria-invalid="true"]')).waitFor();
  await fresh.getByLabel('최소 후원 금액').fill(money.major(15_000 * unit));
  await fresh.getByRole('button', { name: '리워드 추가' }).click();
  await page.getByRole('form', { name: '머그컵' }).waitFor();

  // the project page shows the tiers as saved, in order
  await page.goto(`/projects/${project.id}`);
  await page.getByText('얼리버드 (한정)').filter({ visible: true }).first().waitFor();
  await page.getByText('머그컵').filter({ visible: true }).first().waitFor();
  assert.equal(await page.getByText('감사 카드').count(), 0);
  const got = await apiCall(env.server.baseURL, 'GET', `/crowdfunding/projects/${project.id}`);
  assert.deepEqual(got.rewards.map((r) => [r.title, r.minAmount, r.limit, r.claimed]), [['얼리버드 (한정)', 20_000 * unit, 3, 1], ['머그컵', 15_000 * unit, null, 0]]);
  assert.ok(card.id);
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('admin edits a product: bad stock is refused, the server message for a too-long name is shown, and the shop shows the new price and stock', { timeout: 90_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const unit = 10 ** money.cfg.fractionDigits;
  const admin = await apiLogin(env.server.baseURL, ADMIN.email, ADMIN.password);
  const name = `Linen apron ${Date.now()}`;
  const product = await apiCall(env.server.baseURL, 'POST', '/ecommerce/products', { token: admin.accessToken, body: { name, description: 'Washed linen.', price: 30_000 * unit, category: 'kitchen', stock: 2 } });
  const page = await newPage(env.browser, env.server.baseURL);
  await uiLogin(page, ADMIN);
  const puts = countRequests(page, 'PUT', `/ecommerce/products/${product.id}`);

  await page.goto('/admin/products');
  const card = page.getByRole('listitem').filter({ hasText: name });
  await card.getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: 'Edit product' });
  assert.equal(await form.getByLabel(/^Price/).inputValue(), money.major(30_000 * unit));
  assert.equal(await form.getByLabel('Stock').inputValue(), '2');

  // stock that is not a whole number is refused before sending
  await refusedBeforeSending(form.getByLabel('Stock'), 'ten', form.getByRole('button', { name: 'Save' }), '≥ 0', puts);

  // a name longer than the server takes: its message shows, under the name too
  const long = 'L'.repeat(201);
  const tooLong = await apiError(env.server.baseURL, 'PUT', `/ecommerce/products/${product.id}`, { token: admin.accessToken, body: { name: long } });
  const detail = tooLong.details.find((d) => d.field === 'name');
  await form.getByLabel('Name').fill(long);
  await form.getByLabel('Stock').fill('7');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('alert').filter({ hasText: 'Check the fields marked in red.' }).waitFor();
  assert.match(detail.message, /must be 1 to 200 characters/);
  assert.equal(await fieldMessage(form.getByLabel('Name')), 'Use 1 to 200 characters.');
  assert.equal(await form.getByText('Use 1 to 200 characters.').count(), 1, 'the problem shows once, next to its field');
  assert.equal(puts.count, 1);

  // a good edit closes the form; the list and the shop show the new price and stock
  await form.getByLabel('Name').fill(name);
  await form.getByLabel(/^Price/).fill(money.major(27_500 * unit));
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await card.getByText(money.format(27_500 * unit)).waitFor();
  assert.equal(await card.getByTestId('admin-stock').innerText(), '7 in stock');
  await page.goto(`/shop/products/${product.id}`);
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByText(money.format(27_500 * unit), { exact: true }).waitFor();
  assert.equal(await page.getByTestId('product-stock').innerText(), '7 in stock');
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test("admin sets a display's weekly schedule: a missing time is refused, the server's time zone message is shown, and the window showing now is on screen", { timeout: 90_000 }, async () => {
  const admin = await apiLogin(env.server.baseURL, ADMIN.email, ADMIN.password);
  const { display } = await apiCall(env.server.baseURL, 'POST', '/signage/displays', { token: admin.accessToken, body: { name: 'Cafe menu board', location: 'Counter' } });
  const page = await newPage(env.browser, env.server.baseURL);
  await uiLogin(page, ADMIN);
  const puts = countRequests(page, 'PUT', `/signage/displays/${display.id}/schedule`);
  await page.goto(`/admin/displays/${display.id}`);
  await page.getByRole('heading', { name: 'Cafe menu board' }).waitFor();
  await page.getByText('Showing now: No content yet').waitFor();

  // one window, every day, from two hours ago to two hours from now (UTC)
  const form = page.getByRole('form', { name: 'Weekly schedule' });
  await form.getByRole('button', { name: 'Add time window' }).click();
  const win = form.getByRole('group', { name: 'Window 1' });
  for (const day of ['Sat', 'Sun']) await win.getByText(day, { exact: true }).click();
  const hour = new Date().getUTCHours();
  const hhmm = (h) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
  await win.getByLabel('Value').fill('Soup of the day: pumpkin');

  // an empty start time is refused before sending
  await refusedBeforeSending(win.getByLabel('Start'), '', form.getByRole('button', { name: 'Save schedule' }), 'Use HH:MM.', puts);
  await win.getByLabel('Start').fill(hhmm(hour - 2));
  await win.getByLabel('End').fill(hhmm(hour + 2));

  // a time zone the server does not know: its message shows, under the time zone too
  const entry = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: hhmm(hour - 2), end: hhmm(hour + 2), priority: 1, content: { type: 'text', value: 'x' } };
  const badZone = await apiError(env.server.baseURL, 'PUT', `/signage/displays/${display.id}/schedule`, { token: admin.accessToken, body: { timezone: 'Mars/Olympus_Mons', entries: [entry] } });
  const detail = badZone.details.find((d) => d.field === 'timezone');
  await form.getByLabel('Time zone').fill('Mars/Olympus_Mons');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  const said = detail.message.charAt(0).toUpperCase() + detail.message.slice(1);
  await form.getByRole('alert').filter({ hasText: said }).first().waitFor();
  assert.equal(await fieldMessage(form.getByLabel('Time zone')), said);
  assert.equal(puts.count, 1);

  // saved in UTC: the window's content is what the display shows now, and a reload keeps it
  await form.getByLabel('Time zone').fill('UTC');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await form.getByText('Saved.').waitFor();
  await page.getByText('Showing now: Text: Soup of the day: pumpkin').waitFor();
  await page.reload();
  await page.getByText('Showing now: Text: Soup of the day: pumpkin').waitFor();
  assert.equal(await form.getByLabel('Time zone').inputValue(), 'UTC');
  assert.equal(await win.getByLabel('Start').inputValue(), hhmm(hour - 2));
  assert.equal(await win.getByLabel('Value').inputValue(), 'Soup of the day: pumpkin');
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});
