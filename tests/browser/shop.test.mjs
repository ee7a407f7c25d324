import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiLogin, uiLogout, uiRegister, uniqueEmail, moneyFormatter, apiCall, apiLogin, ADMIN } from './helpers.mjs';

const env = serverAndBrowser();

test('admin adds a product; a user buys it, sees the order, cancels it, and the stock comes back', { timeout: 150_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const unit = 10 ** money.cfg.fractionDigits;
  const price = 12_500 * unit;
  const name = `Ceramic mug ${Date.now()}`;
  const page = await newPage(env.browser, env.server.baseURL);

  // admin creates the product in the admin area
  await uiLogin(page, { ...ADMIN });
  await page.getByRole('link', { name: 'Admin' }).first().click();
  await page.getByRole('link', { name: 'Products' }).click();
  await page.getByRole('button', { name: 'New product' }).click();
  const form = page.getByRole('form', { name: 'New product' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Category').fill('kitchen');
  await form.getByLabel(/^Price/).fill(money.major(price));
  await form.getByLabel('Stock').fill('5');
  await form.getByLabel('Description').fill('Holds <b>350 ml</b>.');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.getByText(name).waitFor();
  await uiLogout(page);

  // a shopper finds it by category and search, and adds two to the cart
  await uiRegister(page, { name: 'Sam Shopper', email: uniqueEmail('shopper'), password: 'Shopper-pass-42' });
  await page.getByRole('link', { name: 'Shop' }).first().click();
  await page.getByRole('button', { name: /^kitchen/ }).click();
  await page.getByLabel('Search', { exact: true }).fill('Ceramic');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  assert.equal(await page.getByTestId('product-stock').innerText(), '5 in stock');
  await page.getByText('Holds <b>350 ml</b>.').waitFor(); // shown as text
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to cart.').waitFor();
  assert.equal(await page.getByTestId('cart-count').innerText(), '2');

  // the cart survives a reload
  await page.goto('/cart');
  await page.reload();
  await page.getByRole('link', { name }).waitFor();
  assert.equal(await page.getByTestId('cart-total').innerText(), money.format(2 * price));

  // checkout: the form asks for the address before sending
  await page.getByRole('link', { name: 'Checkout' }).click();
  await page.getByRole('button', { name: /^Place order/ }).click();
  assert.ok((await page.getByText('This field is required.').count()) >= 3);
  await page.getByLabel('Recipient name').fill('Sam Shopper');
  await page.getByLabel('Phone').fill('010-1234-5678');
  await page.getByLabel('Address').fill('1 Sejong-daero, Jung-gu, Seoul');
  await page.getByLabel('Postal code').fill('04524');
  await page.getByRole('checkbox', { name: /agree to the purchase/ }).check();
  await page.getByRole('button', { name: /^Place order/ }).click();

  // placing it goes on to pay (payments.test.mjs pays); leaving the payment page unpaid keeps the
  // order pending. It is listed with the right total, and the stock went down
  await page.waitForURL(/\/pay\/sim\//);
  await page.goto('/me/orders');
  await page.getByRole('heading', { name: 'My orders' }).waitFor();
  await page.getByText(`${name} × 2`).waitFor();
  assert.equal(await page.getByTestId('order-total').first().innerText(), money.format(2 * price));
  await page.getByText('Pending').first().waitFor();
  assert.equal(await page.getByTestId('cart-count').count(), 0);

  const productUrl = await (async () => {
    await page.goto('/shop?q=Ceramic');
    await page.getByRole('link', { name }).click();
    await page.getByTestId('product-stock').filter({ hasText: '3 in stock' }).waitFor();
    return page.url();
  })();

  // cancel → status cancelled → stock back to 5
  await page.goto('/me/orders');
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByText('Cancelled').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Cancel order' }).count(), 0);
  await page.goto(productUrl);
  await page.getByTestId('product-stock').filter({ hasText: '5 in stock' }).waitFor();
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

// The answer to "Place order" is lost after the server placed it (here: the server's answer is
// replaced by "still in progress"). Pressing the button again must send the same Idempotency-Key,
// so the shopper gets the first order back instead of a second one.
test('pressing Place order again after a lost answer places one order', { timeout: 90_000 }, async () => {
  const admin = await apiLogin(env.server.baseURL, ADMIN.email, ADMIN.password);
  const name = `Retry kettle ${Date.now()}`;
  const product = await apiCall(env.server.baseURL, 'POST', '/ecommerce/products', {
    token: admin.accessToken,
    body: { name, description: 'Boils twice, sells once.', price: 3_000, category: 'kitchen', stock: 5 },
  });
  const page = await newPage(env.browser, env.server.baseURL);
  await uiRegister(page, { name: 'Rey Retry', email: uniqueEmail('retry'), password: 'Retry-pass-42' });
  await page.goto(`/shop/products/${product.id}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to cart.').waitFor();
  await page.goto('/checkout');
  await page.getByLabel('Recipient name').fill('Rey Retry');
  await page.getByLabel('Phone').fill('010-2222-3333');
  await page.getByLabel('Address').fill('2 Sejong-daero, Seoul');
  await page.getByLabel('Postal code').fill('04525');
  await page.getByRole('checkbox', { name: /agree to the purchase/ }).check();

  const keys = [];
  let first = true;
  await page.route('**/api/v1/ecommerce/orders', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key']);
    if (!first) return route.continue();
    first = false;
    await route.fetch(); // the server places the order; its answer never reaches the page
    await route.fulfill({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({ success: false, error: { code: 'CONFLICT', message: 'A request with this Idempotency-Key is still in progress' } }),
    });
  });
  await page.getByRole('button', { name: /^Place order/ }).click();
  await page.getByRole('alert').filter({ hasText: 'This changed in the meantime and cannot be done now.' }).waitFor();
  await page.getByRole('button', { name: /^Place order/ }).click();
  await page.waitForURL(/\/pay\/sim\//);
  await page.goto('/me/orders');
  await page.getByRole('heading', { name: 'My orders' }).waitFor();
  await page.getByText(`${name} × 1`).waitFor();

  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the retry sent the same Idempotency-Key');
  assert.equal(await page.getByText(`${name} × 1`).count(), 1, 'one order is listed');
  assert.equal((await apiCall(env.server.baseURL, 'GET', `/ecommerce/products/${product.id}`)).stock, 4);
  await page.context().close();
});

// The cart remembers a product's price from when it was added; checkout shows what the order costs
// now, the server's quote (POST /ecommerce/orders/quote), and places it at that price.
test('checkout shows the server\'s total when a price changed since the cart', { timeout: 90_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const unit = 10 ** money.cfg.fractionDigits;
  const admin = await apiLogin(env.server.baseURL, ADMIN.email, ADMIN.password);
  const name = `Repriced teapot ${Date.now()}`;
  const product = await apiCall(env.server.baseURL, 'POST', '/ecommerce/products', {
    token: admin.accessToken,
    body: { name, description: 'Dearer by checkout.', price: 4_000 * unit, category: 'kitchen', stock: 5 },
  });
  const page = await newPage(env.browser, env.server.baseURL);
  await uiRegister(page, { name: 'Pat Price', email: uniqueEmail('reprice'), password: 'Reprice-pass-42' });
  await page.goto(`/shop/products/${product.id}`);
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to cart.').waitFor();
  await page.goto('/checkout');
  await page.getByTestId('checkout-total').filter({ hasText: money.format(8_000 * unit) }).waitFor();
  assert.equal(await page.getByTestId('checkout-repriced').count(), 0, 'no note while the prices hold');

  await apiCall(env.server.baseURL, 'PUT', `/ecommerce/products/${product.id}`, { token: admin.accessToken, body: { price: 4_500 * unit } });
  await page.reload();
  await page.getByTestId('checkout-repriced').filter({ hasText: money.format(9_000 * unit) }).waitFor();
  assert.equal(await page.getByTestId('checkout-total').innerText(), money.format(9_000 * unit));
  await page.getByLabel('Recipient name').fill('Pat Price');
  await page.getByLabel('Phone').fill('010-4444-5555');
  await page.getByLabel('Address').fill('3 Sejong-daero, Seoul');
  await page.getByLabel('Postal code').fill('04526');
  await page.getByRole('checkbox', { name: /agree to the purchase/ }).check();
  await page.getByRole('button', { name: `Place order · ${money.format(9_000 * unit)}` }).click();
  await page.waitForURL(/\/pay\/sim\//);
  await page.goto('/me/orders');
  await page.getByText(`${name} × 2`).waitFor();
  assert.equal(await page.getByTestId('order-total').first().innerText(), money.format(9_000 * unit));
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});
