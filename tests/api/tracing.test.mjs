// Tracing (API.md "Operations"): a valid W3C traceparent is continued and an invalid one starts a
// new trace; every log line of a request carries trace_id and span_id; with O4O_OTLP_ENDPOINT the
// spans (the request, and its transactions as children) reach an OTLP/HTTP JSON receiver that
// this test runs; a mail queued by a request is sent (later, by the outbox) in that request's
// trace; a collector that is down or hangs changes no answer and no latency.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { startServer, freePort, sqlOn } from './lib/harness.mjs';
import { startSmtpSink } from './lib/smtp-sink.mjs';
import { standardAccounts, assertOk, uniqueEmail, PASSWORD } from './lib/fixtures.mjs';
import { startReceiver, waitFor, logLines } from './lib/otlp.mjs';

const hex = (n) => randomBytes(n / 2).toString('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const EC = '/api/v1/ecommerce';
const PAY = '/api/v1/payments';

describe('tracing', () => {
  let receiver;
  let s;
  let accounts;
  before(async () => {
    receiver = await startReceiver();
    s = await startServer({ env: { O4O_OTLP_ENDPOINT: receiver.url + '/', O4O_LOG_LEVEL: 'info' } });
    accounts = await standardAccounts(s.api);
  });
  after(async () => {
    await s?.stop();
    await receiver?.close();
  });

  // Checkout, then a confirm (with the given trace headers) that the sim provider declines: the
  // confirm request writes the payment's end in a transaction and logs a "payment" line itself.
  async function declinedConfirm(traceparent, tracestate) {
    const a = s.api;
    const product = assertOk(await a.post(`${EC}/products`, { name: `Traced ${hex(6)}`, price: 5000, category: 'traced', stock: 5 }, { token: accounts.admin.token }), 201);
    const order = assertOk(await a.post(`${EC}/orders`, { items: [{ productId: product.id, quantity: 1 }] }, { token: accounts.user.token }), 201);
    const { payment } = assertOk(await a.post(`${EC}/orders/${order.id}/payment`, undefined, { token: accounts.user.token }), 201);
    const done = assertOk(await a.post(`${PAY}/sim/${payment.id}/complete`, { outcome: 'fail_on_confirm' }, { token: accounts.user.token }));
    const params = Object.fromEntries(new URL(done.successUrl ?? done.failUrl).searchParams);
    const headers = { traceparent, 'x-request-id': `traced-${hex(8)}` };
    if (tracestate) headers.tracestate = tracestate;
    const r = await a.post(`${PAY}/${payment.id}/confirm`, { paymentKey: params.paymentKey, amount: Number(params.amount) }, { token: accounts.user.token, headers });
    assert.equal(r.status, 402, r.text);
    return { paymentId: payment.id, requestId: headers['x-request-id'] };
  }

  it('continues a valid traceparent: log lines and spans share its trace, request → transaction', async () => {
    const trace = hex(32), parent = hex(16);
    const { paymentId, requestId } = await declinedConfirm(`00-${trace}-${parent}-01`, 'vendor=abc,other=1');
    // Every line written for the request: the service's payment line and the access line.
    const lines = await waitFor('log lines', () => {
      const l = logLines(s).filter((x) => x.trace_id === trace);
      return l.some((x) => x.msg === 'request') ? l : null;
    });
    const access = lines.find((x) => x.msg === 'request');
    assert.equal(access.requestId, requestId);
    const paymentLine = lines.find((x) => x.msg === 'payment' && x.paymentId === paymentId && x.change === 'declined');
    assert.ok(paymentLine, JSON.stringify(lines));
    for (const l of lines) assert.match(l.span_id, /^[0-9a-f]{16}$/);

    const spans = await waitFor('exported spans', () => {
      const mine = receiver.spans().filter((x) => x.traceId === trace);
      return mine.some((x) => x.kind === 2) && mine.some((x) => x.name === 'db.transaction') ? mine : null;
    });
    const request = spans.find((x) => x.kind === 2);
    assert.equal(request.parentSpanId, parent);
    assert.equal(request.spanId, access.span_id);
    assert.equal(request.name, 'POST /api/v1/payments/:id/confirm');
    assert.equal(request.traceState, 'vendor=abc,other=1');
    assert.ok(BigInt(request.endTimeUnixNano) > BigInt(request.startTimeUnixNano));
    const status = request.attributes.find((a) => a.key === 'http.response.status_code');
    assert.equal(status.value.intValue, '402');
    const transactions = spans.filter((x) => x.name === 'db.transaction');
    for (const t of transactions) assert.equal(t.parentSpanId, request.spanId);
    // The service's line was written inside a transaction or the request: its span is one of them.
    assert.ok([request.spanId, ...transactions.map((t) => t.spanId)].includes(paymentLine.span_id));
    const resource = receiver.resources()[0];
    assert.ok(resource.attributes.some((a) => a.key === 'service.name' && a.value.stringValue === 'o4o'));
  });

  it('an order placed through group commit: its part of the shared transaction is a span of its request', async () => {
    const product = assertOk(await s.api.post(`${EC}/products`, { name: `Grouped ${hex(6)}`, price: 1000, category: 'traced', stock: 5 }, { token: accounts.admin.token }), 201);
    const trace = hex(32), parent = hex(16);
    const r = await s.api.post(`${EC}/orders`, { items: [{ productId: product.id, quantity: 1 }] },
      { token: accounts.user.token, headers: { traceparent: `00-${trace}-${parent}-01` } });
    assertOk(r, 201);
    const spans = await waitFor('the order\'s spans', () => {
      const mine = receiver.spans().filter((x) => x.traceId === trace);
      return mine.some((x) => x.kind === 2) && mine.some((x) => x.attributes?.some((a) => a.key === 'db.group_commit.batch')) ? mine : null;
    });
    const request = spans.find((x) => x.kind === 2);
    assert.equal(request.name, 'POST /api/v1/ecommerce/orders');
    assert.equal(request.parentSpanId, parent);
    const grouped = spans.find((x) => x.attributes?.some((a) => a.key === 'db.group_commit.batch'));
    assert.equal(grouped.name, 'db.transaction');
    assert.equal(grouped.parentSpanId, request.spanId);
    assert.ok(Number(grouped.attributes.find((a) => a.key === 'db.group_commit.batch').value.intValue) >= 1);
  });

  it('starts a new trace for an invalid or missing traceparent', async () => {
    const given = hex(32);
    for (const bad of [`00-${given.toUpperCase()}-${hex(16)}-01`, `ff-${given}-${hex(16)}-01`, `00-${given}-0000000000000000-01`, 'garbage', null]) {
      const requestId = `bad-${hex(8)}`;
      const headers = { 'x-request-id': requestId };
      if (bad) headers.traceparent = bad;
      const r = await fetch(s.baseUrl + '/api/v1/config', { headers });
      assert.equal(r.status, 200);
      const line = await waitFor('access line', () => logLines(s).find((x) => x.requestId === requestId));
      assert.match(line.trace_id, /^[0-9a-f]{32}$/);
      assert.notEqual(line.trace_id, given, bad);
      const span = await waitFor('span', () => receiver.spans().find((x) => x.traceId === line.trace_id && x.kind === 2));
      assert.equal(span.parentSpanId, undefined, `a new trace has no parent (${bad})`);
    }
  });

  it('an unsampled traceparent is continued in the logs but not exported', async () => {
    const trace = hex(32);
    const requestId = `unsampled-${hex(8)}`;
    await fetch(s.baseUrl + '/api/v1/config', { headers: { traceparent: `00-${trace}-${hex(16)}-00`, 'x-request-id': requestId } });
    const line = await waitFor('access line', () => logLines(s).find((x) => x.requestId === requestId));
    assert.equal(line.trace_id, trace);
    await sleep(1500);  // longer than the export interval
    assert.equal(receiver.spans().filter((x) => x.traceId === trace).length, 0);
  });

  it('/metrics counts exported spans', async () => {
    const text = await (await fetch(s.baseUrl + '/metrics')).text();
    const m = text.match(/^o4o_trace_spans_total\{outcome="exported"\} (\d+)/m);
    assert.ok(m && Number(m[1]) > 0, text.slice(0, 200));
  });
});

describe('mail in the trace of the request that queued it', () => {
  const mailCount = async (s, outcome) => {
    const text = await (await fetch(s.baseUrl + '/metrics')).text();
    return Number(text.match(new RegExp(`^o4o_mail_total\\{outcome="${outcome}"\\} (\\d+)`, 'm'))?.[1]);
  };

  it('the SMTP call is a span of the registration\'s trace, failed or sent, and counted', async () => {
    const receiver = await startReceiver();
    const port = await freePort();  // nobody listens yet: the first attempt fails
    const s = await startServer({ admin: false, env: { O4O_OTLP_ENDPOINT: receiver.url, O4O_SMTP_URL: `smtp://127.0.0.1:${port}`, O4O_LOG_LEVEL: 'info' } });
    let sink;
    try {
      assert.equal(await mailCount(s, 'sent'), 0);
      assert.equal(await mailCount(s, 'retry'), 0);
      const trace = hex(32);
      const email = uniqueEmail('traced');
      const r = await fetch(s.baseUrl + '/api/v1/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${trace}-${hex(16)}-01` },
        body: JSON.stringify({ email, password: PASSWORD, name: 'Traced Mail' }),
      });
      assert.equal(r.status, 201, await r.text());

      const smtpSpans = () => receiver.spans().filter((x) => x.traceId === trace && x.name === 'smtp send');
      const failed = await waitFor('the failed SMTP span', () => smtpSpans()[0]);
      assert.equal(failed.kind, 3, 'a client span');
      assert.equal(failed.status?.code, 2, 'marked as an error');
      // Its parent is the request or the transaction that queued the mail.
      const ours = await waitFor('the request span', () => {
        const mine = receiver.spans().filter((x) => x.traceId === trace);
        return mine.some((x) => x.kind === 2) ? mine : null;
      });
      const request = ours.find((x) => x.kind === 2);
      const queuedUnder = [request.spanId, ...ours.filter((x) => x.name === 'db.transaction' && x.parentSpanId === request.spanId).map((x) => x.spanId)];
      assert.ok(queuedUnder.includes(failed.parentSpanId), 'the SMTP span hangs under the request');
      await waitFor('the retry counted', async () => (await mailCount(s, 'retry')) === 1);
      const warn = await waitFor('the warning line', () => logLines(s).find((l) => l.msg === 'mail not sent'));
      assert.equal(warn.trace_id, trace);

      // SMTP is back: the next attempt is sent in the same trace.
      sink = await startSmtpSink({ port });
      sqlOn(s.db, 'UPDATE mail_outbox SET next_attempt_at = 0');
      await sink.waitFor((m) => m.envelopeTo.includes(email));
      const sent = await waitFor('the second SMTP span', () => smtpSpans().find((x) => x.status?.code !== 2));
      assert.equal(sent.parentSpanId, failed.parentSpanId);
      assert.equal(sent.attributes.find((a) => a.key === 'mail.attempt').value.intValue, '2');
      await waitFor('the sent mail counted', async () => (await mailCount(s, 'sent')) === 1);
      const line = await waitFor('the sent line', () => logLines(s).find((l) => l.msg === 'mail sent'));
      assert.equal(line.trace_id, trace);
      assert.equal(line.span_id, failed.parentSpanId);
    } finally {
      await s.stop();
      await sink?.stop();
      await receiver.close();
    }
  });
});

describe('a collector that is down or hangs', () => {
  // p50 of n sequential requests to a cheap route.
  async function medianMs(baseUrl, n = 60) {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await fetch(baseUrl + '/api/v1/config');
      assert.equal(r.status, 200);
      await r.arrayBuffer();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(n / 2)];
  }

  it('changes no answer and no latency beyond noise; the spans are dropped and counted', async () => {
    // A port nobody listens on, and a listener that accepts and never answers.
    const closed = await new Promise((r) => { const x = net.createServer(); x.listen(0, '127.0.0.1', () => { const p = x.address().port; x.close(() => r(p)); }); });
    const sockets = new Set();
    const hang = net.createServer((c) => { sockets.add(c); c.on('error', () => {}); });
    await new Promise((r) => hang.listen(0, '127.0.0.1', r));
    const plain = await startServer({ admin: false });
    const down = await startServer({ admin: false, env: { O4O_OTLP_ENDPOINT: `http://127.0.0.1:${closed}` } });
    const hung = await startServer({ admin: false, env: { O4O_OTLP_ENDPOINT: `http://127.0.0.1:${hang.address().port}` } });
    try {
      await medianMs(plain.baseUrl, 10); // warm up
      const base = await medianMs(plain.baseUrl);
      const withDown = await medianMs(down.baseUrl);
      const withHung = await medianMs(hung.baseUrl);
      // Noise on a shared loopback is a few ms; a blocked export would cost its 2 s timeout.
      for (const [what, ms] of [['down', withDown], ['hung', withHung]])
        assert.ok(ms < base + 20, `collector ${what}: median ${ms.toFixed(2)} ms vs ${base.toFixed(2)} ms without export`);
      const dropped = await waitFor('dropped spans counted', async () => {
        const text = await (await fetch(down.baseUrl + '/metrics')).text();
        const m = text.match(/^o4o_trace_spans_total\{outcome="dropped_export_failed"\} (\d+)/m);
        return m && Number(m[1]) > 0 ? text : null;
      });
      assert.match(dropped, /o4o_trace_spans_total\{outcome="exported"\} 0/);
      // One warning for the outage, not one per batch.
      assert.ok(down.output().split('\n').filter((l) => l.includes('trace export failed')).length <= 1);
      // A hung collector stops nothing either: SIGTERM still ends the process in time.
      const t0 = Date.now();
      await hung.stop();
      assert.ok(Date.now() - t0 < 10000);
    } finally {
      await plain.stop();
      await down.stop();
      await hung.stop();
      for (const c of sockets) c.destroy();
      hang.close();
    }
  });
});
