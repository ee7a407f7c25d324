// Paying through the built-in `sim` provider: its hosted checkout is a page of the web app, and the
// success and fail pages confirm with the server, as Toss's flow does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, uiRegister, uiLogin, uiLogout, uniqueEmail, moneyFormatter, apiCall, apiLogin, ADMIN } from './helpers.mjs';

const env = serverAndBrowser();

async function adminToken() {
  return (await apiLogin(env.server.baseURL, ADMIN.email, ADMIN.password)).accessToken;
}

async function createProduct(name, price, stock = 10) {
  return apiCall(env.server.baseURL, 'POST', '/ecommerce/products', { token: await adminToken(), body: { name, price, category: 'payments-test', stock } });
}

async function addToCartAndCheckout(page, product, quantity) {
  await page.goto(`/shop/products/${product.id}`);
  await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to cart.').waitFor();
  await page.goto('/checkout');
  await page.getByLabel('Recipient name').fill('Pat Payer');
  await page.getByLabel('Phone').fill('010-1234-5678');
  await page.getByLabel('Address').fill('1 Sejong-daero, Jung-gu, Seoul');
  await page.getByLabel('Postal code').fill('04524');
  await page.getByRole('checkbox', { name: /agree to the purchase/ }).check();
  await page.getByRole('button', { name: /^Place order/ }).click();
}

/** Waits for the sim provider's hosted page and returns the payment id in its path. */
async function onSimPage(page, amountText) {
  await page.waitForURL(/\/pay\/sim\/[^/?]+/);
  await page.getByText('O4O Pay').waitFor();
  if (amountText) assert.equal(await page.getByTestId('sim-amount').innerText(), amountText);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
}

async function orderOf(token, id) {
  return apiCall(env.server.baseURL, 'GET', `/ecommerce/orders/${id}`, { token });
}

test('cart → checkout → the sim page → Pay: the order is paid', { timeout: 120_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const price = 12_500 * 10 ** money.cfg.fractionDigits;
  const product = await createProduct(`Paid mug ${Date.now()}`, price);
  const page = await newPage(env.browser, env.server.baseURL);
  const user = { name: 'Pat Payer', email: uniqueEmail('payer'), password: 'Payer-pass-42' };
  await uiRegister(page, user);

  await addToCartAndCheckout(page, product, 2);
  const paymentId = await onSimPage(page, money.format(2 * price));
  await page.getByTestId('sim-order-name').filter({ hasText: /\S/ }).waitFor();
  assert.equal(await page.getByTestId('cart-count').count(), 0, 'the cart is emptied once the order is placed');

  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(/\/pay\/success\?/);
  assert.equal(new URL(page.url()).searchParams.get('orderId'), paymentId);
  await page.getByRole('heading', { name: 'Payment complete' }).waitFor();
  await page.getByText(`We received ${money.format(2 * price)}.`, { exact: false }).waitFor();

  // a reload of the success page confirms again and gets the same answer: still one payment
  await page.reload();
  await page.getByRole('heading', { name: 'Payment complete' }).waitFor();

  await page.getByRole('link', { name: 'View order' }).click();
  await page.getByRole('heading', { name: 'Order' }).waitFor();
  await page.getByText('Paid', { exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Pay now' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Cancel order' }).count(), 0);

  const token = (await apiLogin(env.server.baseURL, user.email, user.password)).accessToken;
  const orderId = new URL(page.url()).pathname.split('/').pop();
  assert.equal((await orderOf(token, orderId)).status, 'paid');
  const payment = await apiCall(env.server.baseURL, 'GET', `/payments/${paymentId}`, { token });
  assert.equal(payment.status, 'paid');
  assert.equal(payment.amount, 2 * price);
  assert.equal(payment.targetId, orderId);
  const mine = await apiCall(env.server.baseURL, 'GET', '/payments', { token });
  assert.equal(mine.items.filter((p) => p.status === 'paid').length, 1);
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('Decline → the fail page → try again → Pay; and a decline at confirm → try again → Pay', { timeout: 150_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const price = 8_000 * 10 ** money.cfg.fractionDigits;
  const product = await createProduct(`Declined lamp ${Date.now()}`, price);
  const page = await newPage(env.browser, env.server.baseURL);
  const user = { name: 'Dee Decline', email: uniqueEmail('decline'), password: 'Decline-pass-42' };
  await uiRegister(page, user);
  const token = (await apiLogin(env.server.baseURL, user.email, user.password)).accessToken;

  await addToCartAndCheckout(page, product, 1);
  await onSimPage(page, money.format(price));
  await page.getByRole('button', { name: 'Decline' }).click();
  await page.waitForURL(/\/pay\/fail\?/);
  await page.getByRole('heading', { name: 'Payment not completed' }).waitFor();
  const reason = new URL(page.url()).searchParams.get('message');
  assert.ok(reason, 'the fail URL carries the reason');
  assert.equal(await page.getByTestId('pay-reason').innerText(), reason);

  // the order is still waiting for its money
  await page.getByRole('link', { name: 'View order' }).waitFor();
  const orders = await apiCall(env.server.baseURL, 'GET', '/ecommerce/orders', { token });
  assert.equal(orders.items.length, 1);
  assert.equal(orders.items[0].status, 'pending');

  await page.getByRole('button', { name: 'Try again' }).click();
  await onSimPage(page, money.format(price));
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('heading', { name: 'Payment complete' }).waitFor();
  assert.equal((await orderOf(token, orders.items[0].id)).status, 'paid');

  // the provider takes the card but the confirm is declined: the success page says why, and
  // trying again pays
  await addToCartAndCheckout(page, product, 1);
  await onSimPage(page, money.format(price));
  await page.getByRole('button', { name: 'Fail on confirm' }).click();
  await page.waitForURL(/\/pay\/success\?/);
  await page.getByRole('heading', { name: 'The payment was declined' }).waitFor();
  assert.ok((await page.getByTestId('pay-reason').innerText()).trim().length > 0);
  const second = (await apiCall(env.server.baseURL, 'GET', '/ecommerce/orders', { token })).items.find((o) => o.status === 'pending');
  assert.ok(second, 'the declined order is still pending');
  await page.getByRole('button', { name: 'Try again' }).click();
  await onSimPage(page, money.format(price));
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('heading', { name: 'Payment complete' }).waitFor();
  assert.equal((await orderOf(token, second.id)).status, 'paid');
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('on a phone, in Korean, a pending order is paid later with "pay now" from My orders', { timeout: 90_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const price = 3_000 * 10 ** money.cfg.fractionDigits;
  const product = await createProduct(`Later socks ${Date.now()}`, price);
  const page = await newPage(env.browser, env.server.baseURL);
  const user = { name: 'Lee Later', email: uniqueEmail('later'), password: 'Later-pass-42' };
  await uiRegister(page, user);
  const token = (await apiLogin(env.server.baseURL, user.email, user.password)).accessToken;
  const order = await apiCall(env.server.baseURL, 'POST', '/ecommerce/orders', { token, body: { items: [{ productId: product.id, quantity: 3 }] } });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByLabel('Language').selectOption('ko');
  await page.goto('/me/orders');
  await page.getByText('결제 대기', { exact: true }).waitFor();
  await page.getByRole('button', { name: '결제하기' }).click();
  await page.waitForURL(/\/pay\/sim\//);
  await page.getByRole('button', { name: '거절' }).waitFor();
  const amount = await page.getByTestId('sim-amount').innerText();
  assert.ok(amount.replace(/\D/g, '') === String(3 * price / 10 ** money.cfg.fractionDigits).replace(/\D/g, ''), `the sim page asks for the order's total (${amount})`);
  await page.getByRole('button', { name: '결제', exact: true }).click();
  await page.getByRole('heading', { name: '결제 완료' }).waitFor();
  await page.getByRole('link', { name: '주문 보기' }).click();
  await page.getByText('결제 완료', { exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: '결제하기' }).count(), 0);
  assert.equal((await orderOf(token, order.id)).status, 'paid');
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('a pledge is paid through the sim page, shows as paid, and an admin refunds it', { timeout: 150_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const unit = 10 ** money.cfg.fractionDigits;
  const amount = 30_000 * unit;
  const creator = { name: 'Cleo Creator', email: uniqueEmail('pcreator'), password: 'Creator-pass-42' };
  const reg = await apiCall(env.server.baseURL, 'POST', '/auth/register', { body: { ...creator, role: 'creator' } });
  const title = `Paid kettle ${Date.now()}`;
  const project = await apiCall(env.server.baseURL, 'POST', '/crowdfunding/projects', {
    token: reg.accessToken,
    body: { title, description: 'Pay for me.', goal: 1_000_000 * unit, deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });

  const page = await newPage(env.browser, env.server.baseURL);
  const backer = { name: 'Bo Backer', email: uniqueEmail('pbacker'), password: 'Backer-pass-42' };
  await uiRegister(page, backer);
  await page.goto(`/projects/${project.id}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByLabel(/^Amount/).fill(money.major(amount));
  await page.getByRole('button', { name: 'Pledge', exact: true }).click();
  const paymentId = await onSimPage(page, money.format(amount));

  // before paying, My pledges shows it unpaid with "Pay now"; pay from there
  await page.goto('/me/pledges');
  await page.getByRole('link', { name: title }).waitFor();
  await page.getByTestId('pledge-payment').filter({ hasText: 'Unpaid' }).waitFor();
  await page.getByRole('button', { name: 'Pay now' }).click();
  assert.equal(await onSimPage(page, money.format(amount)), paymentId, 'a second ask while one is pending gets the same payment');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('heading', { name: 'Payment complete' }).waitFor();
  await page.getByRole('link', { name: 'Back to the project' }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  assert.equal(await page.getByTestId('project-raised').innerText(), money.format(amount));
  await page.goto('/me/pledges');
  await page.getByTestId('pledge-payment').filter({ hasText: 'Paid' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Pay now' }).count(), 0);
  await uiLogout(page);

  // the admin finds the payment, refunds part of it, then the rest
  await uiLogin(page, { ...ADMIN });
  await page.goto('/admin/orders');
  await page.getByRole('link', { name: 'Payments' }).click();
  await page.getByLabel('For', { exact: true }).selectOption('pledge');
  await page.getByLabel('Status', { exact: true }).selectOption('paid');
  const row = page.getByRole('listitem').filter({ hasText: paymentId });
  await row.getByRole('button', { name: /^Refund/ }).click();
  await row.getByLabel(/^Amount/).fill(money.major(amount + unit));
  await row.getByRole('button', { name: 'Refund', exact: true }).click();
  await row.getByText(/at most/).waitFor(); // more than is left: refused before sending
  await row.getByLabel(/^Amount/).fill(money.major(10_000 * unit));
  await row.getByRole('button', { name: 'Refund', exact: true }).click();
  await row.getByText(`(${money.format(10_000 * unit)} refunded)`).waitFor();
  await row.getByRole('button', { name: /^Refund/ }).click();
  await row.getByRole('button', { name: 'Refund', exact: true }).click(); // empty: all that is left
  await page.getByLabel('Status', { exact: true }).selectOption('refunded');
  await page.getByRole('listitem').filter({ hasText: paymentId }).getByText('Refunded', { exact: true }).waitFor();

  const token = await adminToken();
  const payment = await apiCall(env.server.baseURL, 'GET', `/payments/${paymentId}`, { token });
  assert.equal(payment.status, 'refunded');
  assert.equal(payment.refundedAmount, amount);
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('an admin cancels a paid order: the page warns of the refund, and the payment is refunded in full', { timeout: 90_000 }, async () => {
  const money = await moneyFormatter(env.server.baseURL);
  const price = 5_000 * 10 ** money.cfg.fractionDigits;
  const product = await createProduct(`Refunded tray ${Date.now()}`, price, 4);
  const base = env.server.baseURL;
  const buyer = { name: 'Rae Refund', email: uniqueEmail('refund'), password: 'Refund-pass-42' };
  const token = (await apiCall(base, 'POST', '/auth/register', { body: buyer })).accessToken;
  const order = await apiCall(base, 'POST', '/ecommerce/orders', { token, body: { items: [{ productId: product.id, quantity: 2 }] } });
  // pay it the way the pages do: start, the sim page's Pay, then the success page's confirm
  const { checkout } = await apiCall(base, 'POST', `/ecommerce/orders/${order.id}/payment`, { token });
  const { successUrl } = await apiCall(base, 'POST', `/payments/sim/${checkout.paymentId}/complete`, { token, body: { outcome: 'paid' } });
  const back = new URL(successUrl).searchParams;
  await apiCall(base, 'POST', `/payments/${back.get('orderId')}/confirm`, { token, body: { paymentKey: back.get('paymentKey'), amount: Number(back.get('amount')) } });
  assert.equal((await orderOf(token, order.id)).status, 'paid');

  const page = await newPage(env.browser, base);
  const dialogs = [];
  page.on('dialog', (d) => dialogs.push(d.message()));
  await uiLogin(page, { ...ADMIN });
  await page.goto('/admin/orders');
  await page.getByLabel('User ID').fill(order.userId);
  await page.getByRole('button', { name: 'Search' }).click();
  const card = page.locator('div.rounded-2xl').filter({ has: page.getByRole('link', { name: `#${order.id.replace(/-/g, '').slice(-8)}` }) });
  await card.getByText(`${product.name} × 2`).waitFor();
  await card.getByLabel('Change status').selectOption('cancelled');
  await card.getByText('Cancelled', { exact: true }).waitFor();
  assert.deepEqual(dialogs, ['Cancel this paid order? Its payment is refunded in full.']);

  // the refund goes to the provider in the background (retried until it accepts)
  let payment;
  for (const t0 = Date.now(); Date.now() - t0 < 15_000; await new Promise((r) => setTimeout(r, 250))) {
    payment = await apiCall(base, 'GET', `/payments/${checkout.paymentId}`, { token });
    if (payment.status === 'refunded') break;
  }
  assert.equal(payment.status, 'refunded');
  assert.equal(payment.refundedAmount, 2 * price);
  assert.equal((await apiCall(base, 'GET', `/ecommerce/products/${product.id}`)).stock, 4);
  await page.goto('/admin/payments');
  await page.getByRole('button', { name: order.userId }).first().click();
  await page.getByRole('listitem').filter({ hasText: checkout.paymentId }).getByText('Refunded', { exact: true }).waitFor();
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});
