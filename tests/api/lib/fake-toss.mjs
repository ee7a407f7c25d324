// A fake Toss Payments core API (v1) on loopback, written from Toss's public API reference, for
// tests of the toss provider: never the internet. It keeps payments in memory and records every
// call, so that a test can assert what the server asked of Toss (and how often).
//
//   const toss = await startFakeToss({ secretKey });
//   toss.authorize({ paymentKey, orderId, amount })   // what the browser widget does before confirm
//   ... O4O_TOSS_API_BASE = toss.baseUrl ...
//   toss.calls / toss.callsOf('cancel') / toss.payment(paymentKey)
//   await toss.sendWebhook(url, paymentKey, { status: 'DONE' })   // PAYMENT_STATUS_CHANGED
//   await toss.close()
//
// Endpoints (Basic auth of `secretKey + ':'`, else 401 UNAUTHORIZED_KEY):
//   POST /v1/payments/confirm            {paymentKey, orderId, amount}
//   POST /v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount?}
//   GET  /v1/payments/{paymentKey}
// A POST with an Idempotency-Key that was seen before (same key, secret key, method and path, as
// Toss scopes them) answers the first answer again and changes nothing.
import http from 'node:http';
import { randomBytes } from 'node:crypto';

// Toss writes times in KST with the offset: 2024-01-01T11:31:29+09:00.
function kst(ms = Date.now()) {
  return new Date(ms + 9 * 3600e3).toISOString().slice(0, 19) + '+09:00';
}

// Webhook createdAt: yyyy-MM-dd'T'HH:mm:ss.SSSSSS in KST, no offset; the last three digits count
// up, so two events made in one millisecond still differ.
let eventCounter = 0;
function eventTime(ms = Date.now()) {
  const micros = String(eventCounter++ % 1000).padStart(3, '0');
  return new Date(ms + 9 * 3600e3).toISOString().slice(0, 23) + micros;
}

const ERR = {
  UNAUTHORIZED_KEY: [401, '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.'],
  INVALID_REQUEST: [400, '잘못된 요청입니다.'],
  ALREADY_PROCESSED_PAYMENT: [400, '이미 처리된 결제 입니다.'],
  ALREADY_CANCELED_PAYMENT: [400, '이미 취소된 결제 입니다.'],
  NOT_CANCELABLE_AMOUNT: [403, '취소 할 수 없는 금액 입니다.'],
  NOT_CANCELABLE_PAYMENT: [403, '취소 할 수 없는 결제 입니다.'],
  NOT_FOUND_PAYMENT: [404, '존재하지 않는 결제 정보 입니다.'],
  NOT_FOUND_PAYMENT_SESSION: [404, '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.'],
  NOT_FOUND: [404, '존재하지 않는 정보 입니다.'],
  FAILED_INTERNAL_SYSTEM_PROCESSING: [500, '내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.'],
};

function tossError(code, message) {
  const [status, text] = ERR[code] ?? [400, code];
  return { status, body: { code, message: message ?? text } };
}

export async function startFakeToss({ secretKey = 'test_sk_fake_' + randomBytes(6).toString('hex') } = {}) {
  const expectedAuth = 'Basic ' + Buffer.from(secretKey + ':').toString('base64');
  const payments = new Map();  // paymentKey → { payment, decline, slowMs, slowOps }
  const idempotent = new Map();  // key|auth|method|path → { status, body }
  const calls = [];
  const failures = [];  // injected: { op, status, code, message, times }
  let slowAll = null;  // { ms, ops }

  function paymentObject(p) {
    return structuredClone(p);
  }

  // slowMs: the first `slowTimes` calls of `slowOps` for this payment answer that late.
  function authorize({ paymentKey, orderId, amount, orderName = 'order', decline, slowMs, slowOps = ['confirm'], slowTimes = 1 } = {}) {
    paymentKey ??= 'tfake' + randomBytes(12).toString('hex');
    if (!orderId || !Number.isInteger(amount)) throw new Error('authorize needs orderId and an integer amount');
    payments.set(paymentKey, {
      decline, slowMs, slowOps, slowTimes,
      payment: {
        mId: 'tosspayments', version: '2022-11-16', lastTransactionKey: null, paymentKey, orderId, orderName,
        currency: 'KRW', method: '카드', status: 'IN_PROGRESS', requestedAt: kst(), approvedAt: null,
        useEscrow: false, cultureExpense: false, card: null, virtualAccount: null, transfer: null, mobilePhone: null,
        giftCertificate: null, cashReceipt: null, cashReceipts: null, discount: null, cancels: null, secret: null,
        type: 'NORMAL', easyPay: null, country: 'KR', failure: null, isPartialCancelable: true,
        totalAmount: amount, balanceAmount: amount, suppliedAmount: Math.round(amount / 1.1),
        vat: amount - Math.round(amount / 1.1), taxFreeAmount: 0, taxExemptionAmount: 0,
      },
    });
    return { paymentKey, orderId, amount };
  }

  function confirm(body) {
    const { paymentKey, orderId, amount } = body ?? {};
    if (typeof paymentKey !== 'string' || typeof orderId !== 'string' || !Number.isInteger(amount)) {
      return tossError('INVALID_REQUEST');
    }
    const entry = payments.get(paymentKey);
    if (!entry) return tossError('NOT_FOUND_PAYMENT_SESSION');
    const p = entry.payment;
    if (p.status !== 'IN_PROGRESS') return tossError('ALREADY_PROCESSED_PAYMENT');
    // The reference names no dedicated code for an orderId or amount that differs from what the
    // widget authorised; Toss refuses the request, here as INVALID_REQUEST.
    if (p.orderId !== orderId || p.totalAmount !== amount) return tossError('INVALID_REQUEST');
    if (entry.decline) {
      const code = entry.decline.code ?? 'REJECT_CARD_PAYMENT';
      const message = entry.decline.message ?? '한도초과 혹은 잔액부족으로 결제에 실패했습니다.';
      p.status = 'ABORTED';
      p.failure = { code, message };
      return { status: entry.decline.status ?? 403, body: { code, message } };
    }
    p.status = 'DONE';
    p.approvedAt = kst();
    p.lastTransactionKey = randomBytes(16).toString('hex').toUpperCase();
    return { status: 200, body: paymentObject(p) };
  }

  function cancel(paymentKey, body) {
    const entry = payments.get(paymentKey);
    if (!entry) return tossError('NOT_FOUND_PAYMENT');
    const { cancelReason, cancelAmount } = body ?? {};
    if (typeof cancelReason !== 'string' || cancelReason.length === 0 || cancelReason.length > 200) {
      return tossError('INVALID_REQUEST');
    }
    const p = entry.payment;
    if (p.status === 'CANCELED') return tossError('ALREADY_CANCELED_PAYMENT');
    if (p.status !== 'DONE' && p.status !== 'PARTIAL_CANCELED') return tossError('NOT_CANCELABLE_PAYMENT');
    const amount = cancelAmount ?? p.balanceAmount;
    if (!Number.isInteger(amount) || amount <= 0 || amount > p.balanceAmount) return tossError('NOT_CANCELABLE_AMOUNT');
    p.balanceAmount -= amount;
    p.status = p.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
    p.lastTransactionKey = randomBytes(16).toString('hex').toUpperCase();
    p.cancels = [...(p.cancels ?? []), {
      transactionKey: p.lastTransactionKey, cancelReason, taxExemptionAmount: 0, canceledAt: kst(),
      easyPayDiscountAmount: 0, receiptKey: null, cancelAmount: amount, taxFreeAmount: 0,
      refundableAmount: p.balanceAmount, cancelStatus: 'DONE', cancelRequestId: null,
    }];
    return { status: 200, body: paymentObject(p) };
  }

  function retrieve(paymentKey) {
    const entry = payments.get(paymentKey);
    if (!entry) return tossError('NOT_FOUND_PAYMENT');
    return { status: 200, body: paymentObject(entry.payment) };
  }

  function route(method, path) {
    if (method === 'POST' && path === '/v1/payments/confirm') return { op: 'confirm' };
    let m = /^\/v1\/payments\/([^/]+)\/cancel$/.exec(path);
    if (method === 'POST' && m) return { op: 'cancel', paymentKey: decodeURIComponent(m[1]) };
    m = /^\/v1\/payments\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) return { op: 'retrieve', paymentKey: decodeURIComponent(m[1]) };
    return { op: 'unknown' };
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url, 'http://x').pathname;
      const { op, paymentKey: pathKey } = route(req.method, path);
      let body;
      try { body = raw ? JSON.parse(raw) : undefined; } catch { body = undefined; }
      const idempotencyKey = req.headers['idempotency-key'];
      const call = {
        op, method: req.method, path, paymentKey: pathKey ?? body?.paymentKey, idempotencyKey,
        authorization: req.headers.authorization, contentType: req.headers['content-type'], body, raw,
        traceparent: req.headers.traceparent,
        at: Date.now(), status: undefined, replayed: false,
      };
      calls.push(call);

      let answer;
      const scope = `${idempotencyKey}|${req.headers.authorization}|${req.method}|${path}`;
      const entry = payments.get(call.paymentKey);
      if (req.headers.authorization !== expectedAuth) {
        answer = tossError('UNAUTHORIZED_KEY');
      } else if (req.method === 'POST' && idempotencyKey && idempotent.has(scope)) {
        answer = idempotent.get(scope);
        call.replayed = true;
      } else {
        const i = failures.findIndex((f) => f.op === op || f.op === '*');
        if (i >= 0) {
          const f = failures[i];
          if (--f.times <= 0) failures.splice(i, 1);
          answer = { status: f.status, body: { code: f.code, message: f.message } };
        } else if (op === 'confirm') answer = confirm(body);
        else if (op === 'cancel') answer = cancel(pathKey, body);
        else if (op === 'retrieve') answer = retrieve(pathKey);
        else answer = tossError('NOT_FOUND');
        if (req.method === 'POST' && idempotencyKey && answer.status < 500) idempotent.set(scope, answer);
      }
      call.status = answer.status;
      // Slow: the effect has happened (Toss charged), the answer arrives late.
      let slowMs = slowAll && slowAll.ops.includes(op) ? slowAll.ms : 0;
      if (entry?.slowMs && entry.slowTimes > 0 && entry.slowOps.includes(op)) {
        entry.slowTimes -= 1;
        slowMs = entry.slowMs;
      }
      if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
      if (res.destroyed || res.socket?.destroyed) { call.abandoned = true; return; }
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer.body));
    });
    res.on('error', () => {});
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    secretKey,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    authorize,
    // Every recorded call of one kind: 'confirm' | 'cancel' | 'retrieve' | 'unknown'.
    callsOf(op) { return calls.filter((c) => c.op === op); },
    // Toss's record of a payment as GET would answer it (a copy), or undefined.
    payment(paymentKey) { const e = payments.get(paymentKey); return e && paymentObject(e.payment); },
    // Changes a payment behind the platform's back (an admin in Toss's dashboard, a deposit).
    setPayment(paymentKey, fields) { Object.assign(payments.get(paymentKey).payment, fields); },
    // The next `times` calls of `op` ('*': any) answer this error instead.
    failNext(op, { status = 500, code = 'FAILED_INTERNAL_SYSTEM_PROCESSING', message, times = 1 } = {}) {
      failures.push({ op, status, code, message: message ?? ERR[code]?.[1] ?? code, times });
    },
    // Every call of these ops answers `ms` late (0 turns it off).
    setSlow(ms, ops = ['confirm', 'cancel', 'retrieve']) { slowAll = ms ? { ms, ops } : null; },
    // POSTs a PAYMENT_STATUS_CHANGED event for a payment to `url`. `data` overrides fields of the
    // Payment object sent (a webhook can lie; the platform must retrieve before believing it).
    async sendWebhook(url, paymentKey, { data = {}, eventType = 'PAYMENT_STATUS_CHANGED', createdAt = eventTime(), raw } = {}) {
      const e = payments.get(paymentKey);
      const payload = raw ?? JSON.stringify({ eventType, createdAt, data: { ...(e ? paymentObject(e.payment) : { paymentKey }), ...data } });
      const r = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: payload, signal: AbortSignal.timeout(15000),
      });
      const text = await r.text();
      let json;
      try { json = JSON.parse(text); } catch { json = undefined; }
      return { status: r.status, text, json, payload };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
