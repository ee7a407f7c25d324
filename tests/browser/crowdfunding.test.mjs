import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiRegister, uiLogout, uniqueEmail, moneyFormatter } from './helpers.mjs';

const env = serverAndBrowser();

test('a creator starts a project, another user pledges, and the progress shows the new amount', { timeout: 120_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const goal = 1_000_000 * 10 ** money.cfg.fractionDigits;
  const pledge = 50_000 * 10 ** money.cfg.fractionDigits;
  const page = await newPage(env.browser, env.server.baseURL);
  const title = `Solar kettle ${Date.now()}`;

  // register as a creator and start a project through the form
  await uiRegister(page, { name: 'Casey Creator', email: uniqueEmail('creator'), password: 'Creator-pass-42', role: 'creator' });
  await page.getByRole('link', { name: 'Crowdfunding' }).first().click();
  await page.getByRole('link', { name: 'Start a project' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Boils water with sunlight.\nSecond line.');
  await page.getByLabel(/^Goal/).fill(money.major(goal));
  await page.getByRole('button', { name: 'Add reward tier' }).click();
  await page.getByLabel('Reward title').fill('Early bird');
  await page.getByLabel('Minimum pledge').fill(money.major(pledge));
  await page.getByLabel('Limit (optional)').fill('10');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  const projectUrl = page.url();
  assert.match(projectUrl, /\/projects\/[^/]+$/);
  assert.equal(await page.getByTestId('project-raised').innerText(), money.format(0));
  await page.getByRole('button', { name: /Early bird/ }).waitFor();
  await uiLogout(page);

  // another user backs it with the reward tier
  await uiRegister(page, { name: 'Bea Backer', email: uniqueEmail('backer'), password: 'Backer-pass-42' });
  await page.goto(projectUrl);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByLabel('Reward', { exact: true }).selectOption({ label: `Early bird — ${money.format(pledge)}` });
  // the form refuses an amount below the tier's minimum before sending anything
  await page.getByLabel(/^Amount/).fill(money.major(pledge - 10 ** money.cfg.fractionDigits));
  await page.getByRole('button', { name: 'Pledge', exact: true }).click();
  await page.getByText(`This reward needs at least ${money.format(pledge)}.`).waitFor();
  await page.getByLabel(/^Amount/).fill(money.major(pledge));
  await page.getByRole('button', { name: 'Pledge', exact: true }).click();
  // the pledge goes on to pay it on the sim provider's page, then back to the project
  await page.waitForURL(/\/pay\/sim\//);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('heading', { name: 'Payment complete' }).waitFor();
  await page.getByRole('link', { name: 'Back to the project' }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();

  assert.equal(await page.getByTestId('project-raised').innerText(), money.format(pledge));
  assert.equal(await page.getByTestId('project-backers').innerText(), '1');
  assert.equal(await page.getByTestId('project-percent').innerText(), '5%');
  assert.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '5');

  // the server kept it: a fresh load shows the same, and the tier counts the claim
  await page.reload();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  assert.equal(await page.getByTestId('project-raised').innerText(), money.format(pledge));
  await page.getByText('9 of 10 left').waitFor();

  // my pledges lists it, and cancelling takes the amount back
  await page.getByRole('link', { name: 'My pledges' }).first().click();
  await page.getByRole('link', { name: title }).waitFor();
  await page.getByRole('button', { name: 'Cancel pledge' }).click();
  await page.getByText('Cancelled', { exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Cancel pledge' }).count(), 0);
  await page.goto(projectUrl);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByTestId('project-raised').filter({ hasText: money.format(0) }).waitFor();
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('the project list filters by search and status', { timeout: 60_000 }, async () => {
  const page = await newPage(env.browser, env.server.baseURL);
  await page.goto('/projects');
  await page.getByLabel('Search', { exact: true }).fill('Solar kettle');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('Results: 1').waitFor();
  await page.getByLabel('Status').selectOption('cancelled');
  await page.getByText('Nothing here yet.').waitFor();
  await page.context().close();
});
