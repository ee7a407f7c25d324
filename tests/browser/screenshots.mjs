// Takes screenshots of the home, project, shop, cart (two lines), forum and player pages at desktop (1280x800) and
// phone (360x780) widths into docs/screenshots/, against a seeded server.
// Usage: node tests/browser/screenshots.mjs   (after building build/o4o and web/dist)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, apiCall, apiLogin, ADMIN, repoRoot } from './helpers.mjs';

const out = join(repoRoot, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const locale = process.env.SCREENSHOT_LOCALE || 'ko-KR';
const server = await startServer({ seed: true });
const browser = await launchBrowser();
try {
  const { accessToken } = await apiLogin(server.baseURL, ADMIN.email, ADMIN.password);
  const projects = await apiCall(server.baseURL, 'GET', '/crowdfunding/projects?status=active&limit=1');
  const posts = await apiCall(server.baseURL, 'GET', '/forum/posts?limit=1');
  const products = await apiCall(server.baseURL, 'GET', '/ecommerce/products?limit=2&sort=-price');
  const cart = products.items.map((p, i) => ({ productId: p.id, name: p.name, price: p.price, imageUrl: p.imageUrl, quantity: i + 1 }));
  const { display, deviceToken } = await apiCall(server.baseURL, 'POST', '/signage/displays', { token: accessToken, body: { name: 'Lobby', location: '1F' } });
  await apiCall(server.baseURL, 'PUT', `/signage/displays/${display.id}/content`, {
    token: accessToken,
    body: { type: 'playlist', items: [{ type: 'text', value: 'O4O 플랫폼에 오신 것을 환영합니다\nWelcome to O4O', durationSeconds: 30 }, { type: 'text', value: '오늘의 이벤트: 1층 로비', durationSeconds: 10 }] },
  });
  const pages = [
    ['home', '/'],
    ['project', projects.items[0] ? `/projects/${projects.items[0].id}` : '/projects'],
    ['shop', '/shop'],
    ['cart', '/cart'],
    ['forum', '/forum'],
    ['post', posts.items[0] ? `/forum/posts/${posts.items[0].id}` : '/forum'],
    ['player', `/signage/player/${display.id}?token=${encodeURIComponent(deviceToken)}`],
  ];
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 360, height: 780 }],
  ]) {
    const context = await browser.newContext({ baseURL: server.baseURL, viewport, locale, deviceScaleFactor: 1 });
    await context.addInitScript((lines) => localStorage.setItem('o4o.cart', JSON.stringify(lines)), cart);
    const page = await context.newPage();
    for (const [name, path] of pages) {
      await page.goto(path);
      if (name === 'player') await page.getByTestId('signage-text').waitFor({ timeout: 10_000 });
      else await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      const file = join(out, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: name !== 'player' });
      console.log('wrote', file);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
