// The toss provider end to end: build/o4o with O4O_PAYMENT_PROVIDER=toss against the fake Toss
// server (tests/api/lib/fake-toss.mjs), on the database O4O_TEST_DB names. What the platform asks
// of Toss is read from the fake's record of calls.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { startServer } from './lib/harness.mjs';
import { standardAccounts, assertOk, assertError } from './lib/fixtures.mjs';
import { startFakeToss } from './lib/fake-toss.mjs';

const SHOP = '/api/v1/ecommerce';
const CF = '/api/v1/crowdfunding';
const PAY = '/api/v1/payments';
const TIMEOUT_MS = 400;
const CLIENT_KEY = 'test_ck_' + randomBytes(6).toString('hex');

let toss;
let server;
let api;
let accounts;
let product;

const tag = () => randomBytes(4).toString('hex');

async function placeOrder(account = accounts.user, quantity = 1) {
  return assertOk(await api.post(`${SHOP}/orders`, { items: [{ productId: product.id, quantity }] }, { token: account.token }), 201);
}

async function startPayment(order, account = accounts.user) {
  return assertOk(await api.post(`${SHOP}/orders/${order.id}/payment`, {}, { token: account.token }), 201);
}

async function getOrder(order) {
  return assertOk(await api.get(`${SHOP}/orders/${order.id}`, { token: accounts.admin.token }));
}

async function getPayment(payment) {
  return assertOk(await api.get(`${PAY}/${payment.id}`, { token: accounts.admin.token }));
}

function confirm(payment, paymentKey, amount = payment.amount, account = accounts.user) {
  return api.post(`${PAY}/${payment.id}/confirm`, { paymentKey, amount }, { token: account.token });
}

// An order, its payment started and authorised at Toss as the widget would: { order, payment, checkout, paymentKey }.
async function authorisedOrder(authorizeOptions = {}) {
  const order = await placeOrder();
  const { payment, checkout } = await startPayment(order);
  const { paymentKey } = toss.authorize({ orderId: checkout.paymentId, amount: checkout.amount, ...authorizeOptions });
  return { order, payment, checkout, paymentKey };
}

async function paidOrder() {
  const a = await authorisedOrder();
  assertOk(await confirm(a.payment, a.paymentKey));
  return a;
}

async function waitFor(what, check, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const webhookUrl = () => `${server.baseUrl}${PAY}/webhooks/toss`;

before(async () => {
  toss = await startFakeToss();
  server = await startServer({
    env: {
      O4O_PAYMENT_PROVIDER: 'toss',
      O4O_TOSS_SECRET_KEY: toss.secretKey,
      O4O_TOSS_CLIENT_KEY: CLIENT_KEY,
      O4O_TOSS_API_BASE: toss.baseUrl,
      O4O_PAYMENT_TIMEOUT_MS: String(TIMEOUT_MS),
    },
  });
  api = server.api;
  accounts = await standardAccounts(api);
  product = assertOk(await api.post(`${SHOP}/products`, {
    name: `Toss product ${tag()}`, description: 'paid through Toss', price: 15000, category: `toss-${tag()}`, stock: 1000,
  }, { token: accounts.admin.token }), 201);
});

after(async () => {
  await server?.stop();
  await toss?.close();
});

describe('checkout with toss', () => {
  it('hands the browser the client key and no redirect, and asks nothing of Toss yet', async () => {
    const before = toss.calls.length;
    const order = await placeOrder(accounts.user, 2);
    const { payment, checkout } = await startPayment(order);
    assert.equal(payment.provider, 'toss');
    assert.equal(payment.status, 'pending');
    assert.equal(payment.amount, 30000);
    assert.equal(checkout.provider, 'toss');
    assert.equal(checkout.clientKey, CLIENT_KEY);
    assert.equal(checkout.redirectUrl, null);
    assert.equal(checkout.paymentId, payment.id);
    assert.equal(checkout.amount, 30000);
    assert.equal(toss.calls.length, before);
  });
});

describe('confirm', () => {
  it('confirms at Toss with Basic auth and an Idempotency-Key; the payment and the order become paid', async () => {
    const { order, payment, paymentKey } = await authorisedOrder();
    const paid = assertOk(await confirm(payment, paymentKey));
    assert.equal(paid.status, 'paid');
    assert.equal(paid.amount, 15000);
    assert.equal((await getOrder(order)).status, 'paid');

    const calls = toss.callsOf('confirm').filter((c) => c.paymentKey === paymentKey);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].authorization, 'Basic ' + Buffer.from(toss.secretKey + ':').toString('base64'));
    assert.ok(calls[0].idempotencyKey, 'an Idempotency-Key is sent');
    assert.deepEqual(calls[0].body, { paymentKey, orderId: payment.id, amount: 15000 });
    assert.equal(toss.payment(paymentKey).status, 'DONE');
  });

  it("the call to Toss carries the confirm request's trace (W3C traceparent)", async () => {
    const { payment, paymentKey } = await authorisedOrder();
    const trace = randomBytes(16).toString('hex');
    const parent = randomBytes(8).toString('hex');
    const r = await api.post(`${PAY}/${payment.id}/confirm`, { paymentKey, amount: payment.amount },
      { token: accounts.user.token, headers: { traceparent: `00-${trace}-${parent}-01` } });
    assertOk(r);
    const [call] = toss.callsOf('confirm').filter((c) => c.paymentKey === paymentKey);
    const [version, callTrace, callSpan, flags] = (call.traceparent ?? '').split('-');
    assert.deepEqual([version, callTrace, flags], ['00', trace, '01'], call.traceparent);
    // The call is a span of its own under the request (Toss's side would continue from it).
    assert.match(callSpan, /^[0-9a-f]{16}$/);
    assert.notEqual(callSpan, parent);
  });

  it('a second confirm answers the same and charges nothing more', async () => {
    const { order, payment, paymentKey } = await paidOrder();
    const again = assertOk(await confirm(payment, paymentKey));
    assert.equal(again.status, 'paid');
    assert.equal((await getOrder(order)).status, 'paid');
    const effective = toss.callsOf('confirm').filter((c) => c.paymentKey === paymentKey && c.status === 200 && !c.replayed);
    assert.equal(effective.length, 1);
    assert.equal(toss.payment(paymentKey).balanceAmount, 15000);
  });

  let raceAnswers;
  it('parallel confirms, and a confirm racing the webhook, charge once and leave the order paid', async () => {
    const { order, payment, paymentKey } = await authorisedOrder();
    const confirms = Array.from({ length: 5 }, () => confirm(payment, paymentKey));
    const hook = (async () => {
      // The webhook Toss sends once it has approved: it races the confirms still in flight.
      while (toss.payment(paymentKey).status !== 'DONE') await new Promise((r) => setTimeout(r, 5));
      return toss.sendWebhook(webhookUrl(), paymentKey);
    })();
    raceAnswers = await Promise.all(confirms);
    assert.equal((await hook).status, 200);
    assert.equal((await getPayment(payment)).status, 'paid');
    assert.equal((await getOrder(order)).status, 'paid');
    const effective = toss.callsOf('confirm').filter((c) => c.paymentKey === paymentKey && c.status === 200 && !c.replayed);
    assert.equal(effective.length, 1);
    assert.equal(toss.payment(paymentKey).balanceAmount, 15000);
    assert.equal(toss.callsOf('cancel').filter((c) => c.paymentKey === paymentKey).length, 0);
  });

  // The contract: confirming twice or racing a webhook "has one effect and answers the same".
  it('... and every one of those confirms answers paid', () => {
    for (const a of raceAnswers) assert.equal(assertOk(a).status, 'paid');
  });

  it('a tampered amount is refused before Toss is asked', async () => {
    const { order, payment, paymentKey } = await authorisedOrder();
    assertError(await confirm(payment, paymentKey, 100), 400, 'VALIDATION_ERROR');
    assert.equal(toss.callsOf('confirm').filter((c) => c.paymentKey === paymentKey).length, 0);
    assert.equal((await getPayment(payment)).status, 'pending');
    assert.equal((await getOrder(order)).status, 'pending');
  });

  it('a declined card is 402 PAYMENT_FAILED with Toss reason, and the order stays pending', async () => {
    const reason = '한도초과 혹은 잔액부족으로 결제에 실패했습니다.';
    const { order, payment, paymentKey } = await authorisedOrder({ decline: { code: 'REJECT_CARD_PAYMENT', message: reason } });
    const res = await confirm(payment, paymentKey);
    const error = assertError(res, 402, 'PAYMENT_FAILED');
    assert.equal(error.details?.code, 'REJECT_CARD_PAYMENT', res.text);
    assert.equal(error.details?.message, reason, res.text);
    assert.equal((await getOrder(order)).status, 'pending');
    assert.notEqual((await getPayment(payment)).status, 'paid');
  });

  it('after a declined card, paying again with another card pays the order', async () => {
    const first = await authorisedOrder({ decline: { code: 'REJECT_CARD_PAYMENT' } });
    assertError(await confirm(first.payment, first.paymentKey), 402, 'PAYMENT_FAILED');
    const again = await startPayment(first.order);
    assert.notEqual(again.payment.id, first.payment.id, 'a new payment after the failed one');
    const { paymentKey } = toss.authorize({ orderId: again.payment.id, amount: again.payment.amount });
    assert.equal(assertOk(await confirm(again.payment, paymentKey)).status, 'paid');
    assert.equal((await getOrder(first.order)).status, 'paid');
    assert.equal(toss.payment(first.paymentKey).status, 'ABORTED');
  });

  it('Toss not answering in time is 503 with Retry-After; the payment stays pending, and a retry pays it once', async () => {
    const { order, payment, paymentKey } = await authorisedOrder({ slowMs: TIMEOUT_MS * 4 });
    const started = Date.now();
    const res = await confirm(payment, paymentKey);
    assert.equal(res.status, 503, res.text);
    assert.ok(res.headers.get('retry-after'), 'Retry-After is set');
    assert.ok(Date.now() - started < TIMEOUT_MS * 4, 'the server gave up at its own timeout');
    assert.equal((await getPayment(payment)).status, 'pending');
    assert.equal((await getOrder(order)).status, 'pending');
    // Toss did charge (the answer was only late): the retry finds that out and pays once.
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 4));
    const retried = assertOk(await confirm(payment, paymentKey));
    assert.equal(retried.status, 'paid');
    assert.equal((await getOrder(order)).status, 'paid');
    assert.equal(toss.payment(paymentKey).status, 'DONE');
    assert.equal(toss.payment(paymentKey).balanceAmount, 15000);
  });

  it('money Toss took although the answer was lost, for an order cancelled meanwhile, is given back by itself', async () => {
    const { order, payment, paymentKey } = await authorisedOrder({ slowMs: TIMEOUT_MS * 4 });
    assert.equal((await confirm(payment, paymentKey)).status, 503);
    assert.equal(toss.payment(paymentKey).status, 'DONE', 'Toss charged');
    assertOk(await api.post(`${SHOP}/orders/${order.id}/cancel`, undefined, { token: accounts.user.token }));
    await waitFor('the charge to go back at Toss', () => toss.payment(paymentKey).status === 'CANCELED');
    assert.equal(toss.payment(paymentKey).balanceAmount, 0);
    assert.equal((await getOrder(order)).status, 'cancelled');
    assert.notEqual((await getPayment(payment)).status, 'paid');
    await new Promise((r) => setTimeout(r, 1500));  // another settlement round or two: nothing more
    const cancels = toss.callsOf('cancel').filter((c) => c.paymentKey === paymentKey && c.status === 200 && !c.replayed);
    assert.equal(cancels.length, 1);
    assert.ok(cancels[0].idempotencyKey);
  });

  it('a Toss server error is 503 and the payment stays pending', async () => {
    const { order, payment, paymentKey } = await authorisedOrder();
    toss.failNext('confirm', { status: 500 });
    const res = await confirm(payment, paymentKey);
    assert.equal(res.status, 503, res.text);
    assert.equal((await getPayment(payment)).status, 'pending');
    assert.equal((await getOrder(order)).status, 'pending');
    assertOk(await confirm(payment, paymentKey));
    assert.equal((await getOrder(order)).status, 'paid');
  });

  it('Toss refusing the secret key is 503 (a setting to fix), not a declined card', async () => {
    const { payment, paymentKey } = await authorisedOrder();
    toss.failNext('confirm', { status: 401, code: 'UNAUTHORIZED_KEY' });
    const res = await confirm(payment, paymentKey);
    assert.equal(res.status, 503, res.text);
    assert.equal((await getPayment(payment)).status, 'pending');
  });
});

describe('refund', () => {
  it('an admin refund cancels at Toss with an Idempotency-Key: part, then the rest', async () => {
    const { order, payment, paymentKey } = await paidOrder();
    const part = assertOk(await api.post(`${PAY}/${payment.id}/refund`, { amount: 5000 }, { token: accounts.admin.token }));
    assert.equal(part.status, 'paid');
    assert.equal(part.refundedAmount, 5000);
    let cancels = toss.callsOf('cancel').filter((c) => c.paymentKey === paymentKey);
    assert.equal(cancels.length, 1);
    assert.equal(cancels[0].body.cancelAmount, 5000);
    assert.ok(cancels[0].body.cancelReason);
    assert.ok(cancels[0].idempotencyKey, 'an Idempotency-Key is sent');
    assert.equal(toss.payment(paymentKey).status, 'PARTIAL_CANCELED');
    assert.equal(toss.payment(paymentKey).balanceAmount, 10000);
    assert.equal((await getOrder(order)).status, 'paid');

    const rest = assertOk(await api.post(`${PAY}/${payment.id}/refund`, {}, { token: accounts.admin.token }));
    assert.equal(rest.status, 'refunded');
    assert.equal(rest.refundedAmount, 15000);
    cancels = toss.callsOf('cancel').filter((c) => c.paymentKey === paymentKey && !c.replayed);
    assert.equal(cancels.length, 2);
    assert.notEqual(cancels[1].idempotencyKey, cancels[0].idempotencyKey);
    assert.ok(cancels[1].body.cancelAmount === undefined || cancels[1].body.cancelAmount === 10000);
    assert.equal(toss.payment(paymentKey).status, 'CANCELED');
    assert.equal(toss.payment(paymentKey).balanceAmount, 0);
    assert.equal((await getOrder(order)).status, 'cancelled');

    assertError(await api.post(`${PAY}/${payment.id}/refund`, {}, { token: accounts.admin.token }), 409, 'INVALID_TRANSITION');
    assert.equal(toss.callsOf('cancel').filter((c) => c.paymentKey === paymentKey && !c.replayed).length, 2);
  });

  it('a refund Toss refuses changes nothing on the payment', async () => {
    const { payment, paymentKey } = await paidOrder();
    toss.failNext('cancel', { status: 403, code: 'NOT_CANCELABLE_PAYMENT' });
    const error = assertError(await api.post(`${PAY}/${payment.id}/refund`, { amount: 1000 }, { token: accounts.admin.token }), 402, 'PAYMENT_FAILED');
    assert.equal(error.details?.message, '취소 할 수 없는 결제 입니다.');
    const after = await getPayment(payment);
    assert.equal(after.status, 'paid');
    assert.equal(after.refundedAmount, 0);
    assert.equal(toss.payment(paymentKey).balanceAmount, 15000);
  });
});

describe('webhooks', () => {
  it('about a payment the platform does not have: 200, and Toss is not asked (anyone can send one)', async () => {
    const key = `tgen_${randomBytes(8).toString('hex')}`;
    const res = await toss.sendWebhook(webhookUrl(), key, { data: { orderId: randomUUID(), status: 'DONE' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(toss.callsOf('retrieve').filter((c) => c.paymentKey === key).length, 0);
  });

  it('are only a hint: a webhook that lies about the status changes nothing', async () => {
    const { order, payment, paymentKey } = await authorisedOrder();
    const res = await toss.sendWebhook(webhookUrl(), paymentKey, { data: { status: 'DONE', approvedAt: '2024-01-01T00:00:00+09:00' } });
    assert.equal(res.status, 200, res.text);
    assert.ok(toss.callsOf('retrieve').some((c) => c.paymentKey === paymentKey), 'the payment was fetched from Toss');
    assert.equal((await getPayment(payment)).status, 'pending');
    assert.equal((await getOrder(order)).status, 'pending');
  });

  it('a payment Toss holds as DONE becomes paid when its webhook arrives, once', async () => {
    const { order, payment, paymentKey } = await authorisedOrder();
    // Approved at Toss without the platform hearing of it (the browser never came back).
    const direct = await fetch(`${toss.baseUrl}/v1/payments/confirm`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(toss.secretKey + ':').toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify({ paymentKey, orderId: payment.id, amount: payment.amount }),
    });
    assert.equal(direct.status, 200);
    const hook = await toss.sendWebhook(webhookUrl(), paymentKey);
    assert.equal(hook.status, 200, hook.text);
    assert.equal((await getPayment(payment)).status, 'paid');
    assert.equal((await getOrder(order)).status, 'paid');
    // The same event again: 200 and nothing more.
    const replay = await toss.sendWebhook(webhookUrl(), paymentKey, { raw: hook.payload });
    assert.equal(replay.status, 200, replay.text);
    assert.equal((await getPayment(payment)).status, 'paid');
    assert.equal(toss.callsOf('cancel').filter((c) => c.paymentKey === paymentKey).length, 0);
  });

  it('a webhook naming another payment id is judged by what Toss holds for the key', async () => {
    const a = await authorisedOrder();
    const b = await authorisedOrder();
    const res = await toss.sendWebhook(webhookUrl(), a.paymentKey, { data: { orderId: b.payment.id, status: 'DONE' } });
    assert.equal(res.status, 200, res.text);
    assert.equal((await getPayment(a.payment)).status, 'pending');
    assert.equal((await getPayment(b.payment)).status, 'pending');
  });

  it('Toss failing the lookup is 503, so that Toss sends the event again; the redelivery pays it', async () => {
    const { order, payment, paymentKey } = await authorisedOrder();
    const direct = await fetch(`${toss.baseUrl}/v1/payments/confirm`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(toss.secretKey + ':').toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify({ paymentKey, orderId: payment.id, amount: payment.amount }),
    });
    assert.equal(direct.status, 200);
    toss.failNext('retrieve', { status: 500 });
    const first = await toss.sendWebhook(webhookUrl(), paymentKey);
    assert.equal(first.status, 503, first.text);
    assert.equal((await getPayment(payment)).status, 'pending');
    const redelivered = await toss.sendWebhook(webhookUrl(), paymentKey, { raw: first.payload });
    assert.equal(redelivered.status, 200, redelivered.text);
    assert.equal((await getPayment(payment)).status, 'paid');
    assert.equal((await getOrder(order)).status, 'paid');
  });

  it('a malformed webhook is 400 and asks Toss nothing', async () => {
    const before = toss.calls.length;
    for (const raw of ['not json', '{}', JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: 't', data: {} })]) {
      const res = await toss.sendWebhook(webhookUrl(), 'none', { raw });
      assert.equal(res.status, 400, `${raw}: ${res.status} ${res.text}`);
    }
    assert.equal(toss.calls.length, before);
  });
});

describe('admin cancel of a paid order', () => {
  it('refunds it in full at Toss', async () => {
    const { order, payment, paymentKey } = await paidOrder();
    assertOk(await api.post(`${SHOP}/orders/${order.id}/cancel`, undefined, { token: accounts.admin.token }));
    await waitFor('the refund at Toss', async () => (await getPayment(payment)).status === 'refunded');
    assert.equal(toss.payment(paymentKey).status, 'CANCELED');
    assert.equal(toss.payment(paymentKey).balanceAmount, 0);
    assert.equal(toss.callsOf('cancel').filter((c) => c.paymentKey === paymentKey && c.status === 200 && !c.replayed).length, 1);
  });
});

describe('pledges with toss', () => {
  async function paidPledge(amount) {
    const deadline = new Date(Date.now() + 30 * 24 * 3600e3).toISOString();
    const project = assertOk(await api.post(`${CF}/projects`, { title: `Toss project ${tag()}`, description: 'd', goal: 1000000, deadline }, { token: accounts.creator.token }), 201);
    const { pledge } = assertOk(await api.post(`${CF}/projects/${project.id}/fund`, { amount }, { token: accounts.user.token }), 201);
    const { payment, checkout } = assertOk(await api.post(`${CF}/pledges/${pledge.id}/payment`, undefined, { token: accounts.user.token }), 201);
    assert.equal(checkout.clientKey, CLIENT_KEY);
    const { paymentKey } = toss.authorize({ orderId: payment.id, amount });
    assertOk(await confirm(payment, paymentKey, amount));
    return { project, pledge, payment, paymentKey };
  }
  const myPledge = async (pledge) =>
    assertOk(await api.get(`${CF}/pledges?limit=100`, { token: accounts.user.token })).items.find((x) => x.id === pledge.id);

  it('a pledge paid through Toss is paid', async () => {
    const { pledge, paymentKey } = await paidPledge(12000);
    assert.equal((await myPledge(pledge)).paymentStatus, 'paid');
    assert.equal(toss.payment(paymentKey).status, 'DONE');
  });

  it('a cancelled project has Toss give every paid pledge back without anyone asking', async () => {
    const { project, pledge, payment, paymentKey } = await paidPledge(8000);
    assertOk(await api.post(`${CF}/projects/${project.id}/cancel`, undefined, { token: accounts.creator.token }));
    await waitFor('the automatic refund at Toss', async () => (await getPayment(payment)).status === 'refunded');
    assert.equal(toss.payment(paymentKey).status, 'CANCELED');
    assert.equal((await myPledge(pledge)).paymentStatus, 'refunded');
  });
});
