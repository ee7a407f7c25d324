import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiRegister, uniqueEmail } from './helpers.mjs';

const env = serverAndBrowser();

async function me(baseURL, token) {
  const res = await fetch(`${baseURL}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  return res.status;
}

test('profile: make an assistant token, see it once, use it, revoke it (English and Korean)', { timeout: 90_000 }, async () => {
  const page = await newPage(env.browser, env.server.baseURL);
  await uiRegister(page, { name: 'Ada Assistant', email: uniqueEmail('tokens'), password: 'Tokens-pass-42' });
  await page.goto('/me');
  const card = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create token' }) });
  await card.getByLabel('Name').fill('Claude Desktop');
  await card.getByLabel('Access').selectOption('write');
  await card.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('new-token').innerText()).trim();
  assert.match(secret, /^o4o_at_[0-9a-f]{64}$/);
  await page.getByText('Copy this token now', { exact: false }).waitFor();
  await page.getByText('Claude Desktop', { exact: true }).waitFor();
  assert.equal(await me(env.server.baseURL, secret), 200);

  // the page shows the MCP address and an HTTP client's settings with the token: they work as shown
  assert.equal((await page.getByTestId('mcp-address').innerText()).trim(), `${env.server.baseURL}/mcp`);
  const config = JSON.parse(await page.getByTestId('mcp-config').innerText());
  const { url, headers } = config.mcpServers.o4o;
  const whoami = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal((await whoami.json()).result.structuredContent.user.name, 'Ada Assistant');

  // after a reload the secret is gone; the list keeps the name
  await page.reload();
  await page.getByText('Claude Desktop', { exact: true }).waitFor();
  assert.equal(await page.getByTestId('new-token').count(), 0);

  await page.getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('No assistant tokens yet.').waitFor();
  assert.equal(await me(env.server.baseURL, secret), 401);

  // the same card in Korean
  await page.getByLabel('Language').selectOption('ko');
  await page.getByRole('heading', { name: 'AI 어시스턴트 토큰' }).waitFor();
  await page.getByText('아직 만든 토큰이 없습니다.').waitFor();
  await page.getByText('MCP 서버 주소').waitFor();
});
