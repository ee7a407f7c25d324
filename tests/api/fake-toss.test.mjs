// The fake Toss server itself answers as Toss's API reference says, so that the toss provider's
// tests (payments-toss.test.mjs) test against something faithful.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startFakeToss } from './lib/fake-toss.mjs';

let toss;
let auth;

async function call(method, path, { body, key, authorization = auth, timeout = 5000 } = {}) {
  const headers = { authorization };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  const r = await fetch(toss.baseUrl + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeout),
  });
  return { status: r.status, json: await r.json() };
}

before(async () => {
  toss = await startFakeToss({ secretKey: 'test_sk_self' });
  auth = 'Basic ' + Buffer.from('test_sk_self:').toString('base64');
});
after(async () => { await toss?.close(); });

describe('fake Toss', () => {
  it('refuses a wrong secret key with 401 UNAUTHORIZED_KEY', async () => {
    const r = await call('GET', '/v1/payments/x', { authorization: 'Basic ' + Buffer.from('other:').toString('base64') });
    assert.equal(r.status, 401);
    assert.equal(r.json.code, 'UNAUTHORIZED_KEY');
  });

  it('confirms an authorised payment once, for its orderId and amount only', async () => {
    const { paymentKey } = toss.authorize({ orderId: 'o-1', amount: 1000 });
    let r = await call('POST', '/v1/payments/confirm', { body: { paymentKey, orderId: 'o-1', amount: 999 } });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'INVALID_REQUEST');
    r = await call('POST', '/v1/payments/confirm', { body: { paymentKey, orderId: 'o-1', amount: 1000 }, key: 'k1' });
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'DONE');
    assert.equal(r.json.totalAmount, 1000);
    assert.equal(r.json.balanceAmount, 1000);
    // The same Idempotency-Key: the first answer again.
    const again = await call('POST', '/v1/payments/confirm', { body: { paymentKey, orderId: 'o-1', amount: 1000 }, key: 'k1' });
    assert.deepEqual(again, r);
    assert.equal(toss.calls.at(-1).replayed, true);
    // A new key: Toss says it is done already.
    r = await call('POST', '/v1/payments/confirm', { body: { paymentKey, orderId: 'o-1', amount: 1000 }, key: 'k2' });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'ALREADY_PROCESSED_PAYMENT');
    r = await call('POST', '/v1/payments/confirm', { body: { paymentKey: 'nope', orderId: 'o-1', amount: 1000 } });
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'NOT_FOUND_PAYMENT_SESSION');
  });

  it('declines as told, and the payment is ABORTED with the failure', async () => {
    const { paymentKey } = toss.authorize({ orderId: 'o-2', amount: 500, decline: { code: 'REJECT_CARD_PAYMENT', message: 'no money' } });
    const r = await call('POST', '/v1/payments/confirm', { body: { paymentKey, orderId: 'o-2', amount: 500 } });
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, { code: 'REJECT_CARD_PAYMENT', message: 'no money' });
    assert.equal(toss.payment(paymentKey).status, 'ABORTED');
  });

  it('cancels partially, then the rest, once per Idempotency-Key', async () => {
    const { paymentKey } = toss.authorize({ orderId: 'o-3', amount: 3000 });
    await call('POST', '/v1/payments/confirm', { body: { paymentKey, orderId: 'o-3', amount: 3000 } });
    let r = await call('POST', `/v1/payments/${paymentKey}/cancel`, { body: { cancelReason: 'r', cancelAmount: 1000 }, key: 'c1' });
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'PARTIAL_CANCELED');
    assert.equal(r.json.balanceAmount, 2000);
    r = await call('POST', `/v1/payments/${paymentKey}/cancel`, { body: { cancelReason: 'r', cancelAmount: 1000 }, key: 'c1' });
    assert.equal(r.json.balanceAmount, 2000, 'a replayed cancel gives nothing back twice');
    r = await call('POST', `/v1/payments/${paymentKey}/cancel`, { body: { cancelReason: 'r', cancelAmount: 5000 }, key: 'c2' });
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'NOT_CANCELABLE_AMOUNT');
    r = await call('POST', `/v1/payments/${paymentKey}/cancel`, { body: { cancelReason: 'r' }, key: 'c3' });
    assert.equal(r.json.status, 'CANCELED');
    assert.equal(r.json.balanceAmount, 0);
    assert.equal(r.json.cancels.length, 2);
    r = await call('POST', `/v1/payments/${paymentKey}/cancel`, { body: { cancelReason: 'r' }, key: 'c4' });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'ALREADY_CANCELED_PAYMENT');
    r = await call('GET', `/v1/payments/${paymentKey}`);
    assert.equal(r.json.status, 'CANCELED');
    r = await call('GET', '/v1/payments/unknown');
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'NOT_FOUND_PAYMENT');
  });

  it('answers late when told, after the effect', async () => {
    const { paymentKey } = toss.authorize({ orderId: 'o-4', amount: 100, slowMs: 400 });
    const start = Date.now();
    await assert.rejects(call('POST', '/v1/payments/confirm', { body: { paymentKey, orderId: 'o-4', amount: 100 }, timeout: 100 }));
    assert.ok(Date.now() - start < 400);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(toss.payment(paymentKey).status, 'DONE', 'charged even though the answer is late');
  });

  it('injects server errors', async () => {
    toss.failNext('retrieve', { status: 500 });
    let r = await call('GET', '/v1/payments/whatever');
    assert.equal(r.status, 500);
    assert.equal(r.json.code, 'FAILED_INTERNAL_SYSTEM_PROCESSING');
    r = await call('GET', '/v1/payments/whatever');
    assert.equal(r.status, 404);
  });

  it('posts PAYMENT_STATUS_CHANGED webhooks, lying when told', async () => {
    const got = [];
    const sink = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c) => { b += c; });
      req.on('end', () => { got.push(JSON.parse(b)); res.end('{}'); });
    });
    await new Promise((r) => sink.listen(0, '127.0.0.1', r));
    try {
      const { paymentKey } = toss.authorize({ orderId: 'o-5', amount: 100 });
      const r = await toss.sendWebhook(`http://127.0.0.1:${sink.address().port}/hook`, paymentKey, { data: { status: 'DONE' } });
      assert.equal(r.status, 200);
      assert.equal(got[0].eventType, 'PAYMENT_STATUS_CHANGED');
      assert.match(got[0].createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      assert.equal(got[0].data.paymentKey, paymentKey);
      assert.equal(got[0].data.orderId, 'o-5');
      assert.equal(got[0].data.status, 'DONE');
      assert.equal(toss.payment(paymentKey).status, 'IN_PROGRESS', 'the webhook lied');
    } finally {
      sink.closeAllConnections();
      await new Promise((r) => sink.close(r));
    }
  });
});
