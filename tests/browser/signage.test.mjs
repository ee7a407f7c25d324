import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiLogin, ADMIN } from './helpers.mjs';

const env = serverAndBrowser();

async function publishText(admin, text, { duration } = {}) {
  const form = admin.getByRole('form', { name: 'Content' });
  await form.getByRole('radio', { name: 'Content', exact: true }).check();
  await form.getByLabel('Type').selectOption('text');
  await form.getByLabel('Value').fill(text);
  await form.getByLabel('Seconds on screen').fill(duration ? String(duration) : '');
  await form.getByRole('button', { name: 'Publish content' }).click();
}

test('admin registers a display and pushes content; the open player shows it within 2 s and keeps it when the connection drops', { timeout: 150_000 }, async () => {
  const admin = await newPage(env.browser, env.server.baseURL);
  await uiLogin(admin, ADMIN);
  await admin.getByRole('link', { name: 'Admin' }).first().click();
  await admin.getByRole('link', { name: 'Displays' }).click();
  await admin.getByLabel('Name').fill('Lobby screen');
  await admin.getByLabel('Location').fill('1F entrance');
  await admin.getByRole('button', { name: 'Create' }).click();
  await admin.getByRole('heading', { name: 'Lobby screen' }).waitFor();

  // the device token is shown once, with a link to the player
  const token = (await admin.getByTestId('device-token').innerText()).trim();
  assert.ok(token.length >= 16, 'a device token is shown');
  const displayId = admin.url().split('/').pop();

  // open the player as the device would (its own browser context)
  const player = await newPage(env.browser, env.server.baseURL);
  await player.goto(`/signage/player/${displayId}?token=${encodeURIComponent(token)}`);
  await player.getByText('Waiting for content…').waitFor();
  await player.locator('[data-conn="live"]').waitFor();

  // push text: it appears within 2 s
  const t0 = Date.now();
  await publishText(admin, 'Welcome to O4O');
  await player.getByTestId('signage-text').filter({ hasText: 'Welcome to O4O' }).waitFor({ timeout: 2000 });
  const elapsed = Date.now() - t0;
  assert.ok(elapsed <= 2000, `shown after ${elapsed} ms`);
  await admin.getByText('Saved.').first().waitFor();

  // a playlist cycles through its items by durationSeconds
  const form = admin.getByRole('form', { name: 'Content' });
  await form.getByRole('radio', { name: 'Playlist' }).check();
  await form.getByLabel('Value').fill('Slide one');
  await form.getByLabel('Seconds on screen').fill('1');
  await form.getByRole('button', { name: 'Add item' }).click();
  await form.getByLabel('Value').nth(1).fill('Slide two');
  await form.getByLabel('Seconds on screen').nth(1).fill('1');
  await form.getByRole('button', { name: 'Publish content' }).click();
  await player.getByTestId('signage-text').filter({ hasText: 'Slide one' }).waitFor({ timeout: 2000 });
  await player.getByTestId('signage-text').filter({ hasText: 'Slide two' }).waitFor({ timeout: 3000 });
  await player.getByTestId('signage-text').filter({ hasText: 'Slide one' }).waitFor({ timeout: 3000 });

  // HTML is shown in a sandboxed frame with scripts off
  await form.getByRole('radio', { name: 'Content', exact: true }).check();
  await form.getByLabel('Type').selectOption('html');
  await form.getByLabel('Value').fill('<h1 id="hello">Hello from HTML</h1><script>document.body.innerHTML = "pwned"; parent.__pwned = 1;</script>');
  await form.getByRole('button', { name: 'Publish content' }).click();
  const frame = player.getByTestId('signage-html');
  await frame.waitFor({ timeout: 2000 });
  assert.equal(await frame.getAttribute('sandbox'), '');
  await player.frameLocator('[data-testid="signage-html"]').getByText('Hello from HTML').waitFor();
  assert.equal(await player.evaluate(() => window.__pwned), undefined);

  // the connection drops: the last content stays on screen
  await publishText(admin, 'Still here');
  await player.getByTestId('signage-text').filter({ hasText: 'Still here' }).waitFor({ timeout: 2000 });
  await player.context().setOffline(true);
  await player.waitForTimeout(1500);
  assert.equal(await player.getByTestId('signage-text').innerText(), 'Still here');
  await player.context().setOffline(false);

  // and once back it picks up what changed meanwhile
  await publishText(admin, 'Back online');
  await player.getByTestId('signage-text').filter({ hasText: 'Back online' }).waitFor({ timeout: 20_000 });

  // rotating the token cuts the old one off; the screen keeps its content
  await admin.getByRole('button', { name: 'Rotate token' }).click();
  await admin.getByTestId('device-token').filter({ hasNotText: token }).waitFor();
  await player.getByText('This display token is not valid.').waitFor({ timeout: 20_000 });
  assert.equal(await player.getByTestId('signage-text').innerText(), 'Back online');
  assert.deepEqual(player.pageErrors, []);
  await player.context().close();
  await admin.context().close();
});
