// Accessibility: axe-core (from npm, run inside Chromium) finds no serious or critical violation on
// the main pages, on the demo data, at desktop and phone sizes, in Korean and English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { serverAndBrowser, newPage, apiCall, repoRoot } from './helpers.mjs';

const env = serverAndBrowser({ seed: true });
const axeSource = readFileSync(createRequire(join(repoRoot, 'web', 'package.json')).resolve('axe-core/axe.min.js'), 'utf8');

async function violations(page) {
  // evaluated through the DevTools protocol: the page's Content-Security-Policy allows no inline script
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

test('the main pages have no serious or critical accessibility violations', { timeout: 170_000 }, async () => {
  const projects = await apiCall(env.server.baseURL, 'GET', '/crowdfunding/projects?limit=1');
  const products = await apiCall(env.server.baseURL, 'GET', '/ecommerce/products?limit=1');
  const posts = await apiCall(env.server.baseURL, 'GET', '/forum/posts?limit=1');
  const paths = ['/', '/projects', '/shop', '/forum', '/login', '/register', '/cart'];
  if (projects.items[0]) paths.push(`/projects/${projects.items[0].id}`);
  if (products.items[0]) paths.push(`/shop/products/${products.items[0].id}`);
  if (posts.items[0]) paths.push(`/forum/posts/${posts.items[0].id}`);

  const found = [];
  for (const [locale, viewport] of [['ko-KR', { width: 1280, height: 800 }], ['en-US', { width: 390, height: 844 }]]) {
    const page = await newPage(env.browser, env.server.baseURL, { locale, viewport });
    if (products.items[0]) {
      // a line in the cart, so that the cart page has its controls
      await page.goto(`/shop/products/${products.items[0].id}`);
      await page.locator('h1').waitFor();
      const add = page.getByRole('button', { name: /장바구니 담기|Add to cart/ });
      if (await add.isEnabled()) await add.click();
    }
    for (const path of paths) {
      await page.goto(path);
      await page.locator('main h1, main h2').first().waitFor();
      await page.waitForLoadState('networkidle');
      for (const v of await violations(page)) found.push(`${locale} ${viewport.width}px ${path}: ${v}`);
    }
    await page.context().close();
  }
  assert.deepEqual(found, []);
});
