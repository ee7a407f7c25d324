// A platform in US dollars (O4O_CURRENCY=USD: 2 fraction digits) on a slow network. Forms that start
// from a stored amount wait for /config: before, they began with the fallback's 0 digits, so a
// $12.50 price showed as "1250" and was saved back as $1,250.00.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiLogin, uniqueEmail, apiCall, apiLogin, holdRequests, valueSoon, ADMIN } from './helpers.mjs';

const env = serverAndBrowser({ env: { O4O_CURRENCY: 'USD' } });

test('with /config late, a USD price and goal are edited in dollars and saved unchanged, and a reward raises a pledge to its minimum in dollars', { timeout: 90_000 }, async () => {
  const base = env.server.baseURL;
  assert.equal((await apiCall(base, 'GET', '/config')).fractionDigits, 2);
  const admin = await apiLogin(base, ADMIN.email, ADMIN.password);
  const name = `Enamel mug ${Date.now()}`;
  const product = await apiCall(base, 'POST', '/ecommerce/products', { token: admin.accessToken, body: { name, price: 1250, category: 'kitchen', stock: 3 } });

  let page = await newPage(env.browser, base);
  await uiLogin(page, ADMIN);
  let release = await holdRequests(page, '**/api/v1/config');
  await page.goto('/admin/products');
  const card = page.getByRole('listitem').filter({ hasText: name });
  await card.getByRole('button', { name: 'Edit' }).click();
  // the form waits for the currency instead of showing minor units as dollars
  await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor();
  assert.equal(await page.getByRole('form', { name: 'Edit product' }).count(), 0);
  assert.ok((await release()) > 0, 'the page asked for /config');
  const form = page.getByRole('form', { name: 'Edit product' });
  assert.equal(await form.getByLabel(/^Price/).inputValue(), '12.50');
  await form.getByLabel('Stock').fill('4');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  const saved = await apiCall(base, 'GET', `/ecommerce/products/${product.id}`);
  assert.equal(saved.price, 1250, 'the price is what it was');
  assert.equal(saved.stock, 4);
  await page.context().close();

  const creator = { email: uniqueEmail('usd-maker'), password: 'Usd-Maker-Pass-42', name: 'Dana Dollar' };
  const { accessToken } = await apiCall(base, 'POST', '/auth/register', { body: { ...creator, role: 'creator' } });
  const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString();
  const project = await apiCall(base, 'POST', '/crowdfunding/projects', {
    token: accessToken,
    body: { title: 'Bike shed', description: 'Dry bikes.', goal: 500_050, deadline, rewards: [{ title: 'Sticker', minAmount: 1_500 }] },
  });
  page = await newPage(env.browser, base);
  await uiLogin(page, creator);
  release = await holdRequests(page, '**/api/v1/config');
  await page.goto(`/projects/${project.id}/edit`);
  await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor();
  assert.ok((await release()) > 0, 'the page asked for /config');
  await page.getByRole('heading', { name: 'Edit project' }).waitFor();
  assert.equal(await page.getByLabel(/^Goal/).inputValue(), '5000.5');
  assert.equal(await page.getByLabel('Minimum pledge').inputValue(), '15', "the reward's minimum, in dollars");
  await page.getByLabel('Title', { exact: true }).fill('Bike shed, 6 bikes');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Bike shed, 6 bikes' }).waitFor();
  const after = await apiCall(base, 'GET', `/crowdfunding/projects/${project.id}`);
  assert.equal(after.goal, 500_050, 'the goal is what it was');
  assert.equal(after.rewards[0].minAmount, 1_500);
  await page.context().close();

  // A backer picks the reward before /config is in: the amount it raises the pledge to is $15.00,
  // not 1500 read as dollars.
  const backer = { email: uniqueEmail('usd-backer'), password: 'Usd-Backer-Pass-42', name: 'Bo Backer' };
  await apiCall(base, 'POST', '/auth/register', { body: backer });
  page = await newPage(env.browser, base);
  await uiLogin(page, backer);
  release = await holdRequests(page, '**/api/v1/config');
  await page.goto(`/projects/${project.id}`);
  await page.getByRole('button', { name: /Sticker/ }).click();
  assert.equal(await page.getByLabel(/^Amount/).count(), 0, 'the pledge form waits for the currency');
  assert.ok((await release()) > 0, 'the page asked for /config');
  const amount = page.getByLabel(/^Amount/);
  await amount.waitFor();
  // The form raises the amount in an effect once it has rendered: a moment later.
  assert.equal(await valueSoon(amount, '15.00'), '15.00');
  await page.context().close();
});
