import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, uiLogin, uiLogout, moneyFormatter, repoRoot, ADMIN } from './helpers.mjs';

const env = serverAndBrowser();
const FIXTURES = join(repoRoot, 'tests/api/fixtures/media');

test('admin uploads a product image (preview, then the stored WebP); the shop shows it with its variants', { timeout: 150_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const name = `Photo mug ${Date.now()}`;
  const page = await newPage(env.browser, env.server.baseURL);
  await uiLogin(page, { ...ADMIN });
  await page.getByRole('link', { name: 'Admin' }).first().click();
  await page.getByRole('link', { name: 'Products' }).click();
  await page.getByRole('button', { name: 'New product' }).click();
  const form = page.getByRole('form', { name: 'New product' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Category').fill('kitchen');
  await form.getByLabel(/^Price/).fill(money.major(9_900 * 10 ** money.cfg.fractionDigits));
  await form.getByLabel('Stock').fill('3');
  await form.getByTestId('media-input').setInputFiles(join(FIXTURES, 'big.jpg'));
  // the preview shows at once; once stored it is the server's WebP
  await form.getByTestId('media-preview').waitFor();
  await form.locator('img[data-testid="media-preview"][src^="/media/"]').waitFor({ timeout: 20_000 });
  const url = await form.getByTestId('media-preview').getAttribute('src');
  assert.match(url, /^\/media\/[0-9a-f]{32}\.webp$/);
  await form.getByRole('button', { name: 'Create' }).click();
  await page.getByText(name).waitFor();
  await uiLogout(page);

  await page.getByRole('link', { name: 'Shop' }).first().click();
  await page.getByLabel('Search', { exact: true }).fill('Photo mug');
  await page.getByRole('button', { name: 'Search' }).click();
  const card = page.locator(`img[src="${url}"]`).first();
  await card.waitFor();
  const srcset = await card.getAttribute('srcset');
  assert.ok(srcset.includes('-thumb.webp 320w') && srcset.includes('-medium.webp 1280w'), srcset);
  assert.equal(await card.getAttribute('loading'), 'lazy');
  await card.scrollIntoViewIfNeeded();
  await page.waitForFunction((u) => [...document.querySelectorAll(`img[src="${u}"]`)].some((i) => i.complete && i.naturalWidth > 0), url);
  const shown = await card.evaluate((i) => i.currentSrc);
  assert.match(shown, /-(thumb|medium)\.webp$/, 'a card loads a variant, not the full size');
});

test('admin uploads a signage video in the content editor; the player plays it from /media/', { timeout: 150_000 }, async () => {
  const admin = await newPage(env.browser, env.server.baseURL);
  await uiLogin(admin, ADMIN);
  await admin.getByRole('link', { name: 'Admin' }).first().click();
  await admin.getByRole('link', { name: 'Displays' }).click();
  await admin.getByLabel('Name').fill('Video wall');
  await admin.getByLabel('Location').fill('Lobby');
  await admin.getByRole('button', { name: 'Create' }).click();
  await admin.getByRole('heading', { name: 'Video wall' }).waitFor();
  const token = (await admin.getByTestId('device-token').innerText()).trim();
  const displayId = admin.url().split('/').pop();

  const player = await newPage(env.browser, env.server.baseURL);
  await player.goto(`/signage/player/${displayId}?token=${encodeURIComponent(token)}`);
  await player.locator('[data-conn="live"]').waitFor();

  const form = admin.getByRole('form', { name: 'Content' });
  await form.getByRole('radio', { name: 'Content', exact: true }).check();
  await form.getByLabel('Type').selectOption('video');
  await form.getByTestId('media-input').setInputFiles(join(FIXTURES, 'clip.webm'));
  await form.locator('video[data-testid="media-preview"][src^="/media/"]').waitFor({ timeout: 20_000 });
  await form.getByRole('button', { name: 'Publish content' }).click();
  const video = player.locator('video[data-testid="signage-video"]');
  await video.waitFor({ timeout: 5000 });
  assert.match(await video.getAttribute('src'), /^\/media\/[0-9a-f]{32}\.webm$/);
});
