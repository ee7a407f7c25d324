// Payments benchmark (issue 12): confirm throughput, and the latency that paying adds to placing an
// order. Starts its own server on loopback with a fresh database (O4O_TEST_DB=postgres for
// PostgreSQL), the rate limit off and the built-in sim provider; bounded in time (about 45 s with
// the defaults), then checks that every payment that was confirmed is paid exactly once.
//
//   O4O_BINARY=build/o4o node bench/payments/bench.mjs [--seconds 6] [--prepare 10] [--out FILE]
//
// Phases:
//   A. confirm throughput: `--concurrency` clients (64) prepare pending payments for up to
//      `--prepare` seconds (order → POST /orders/:id/payment → sim complete 'fail_on_confirm', so
//      the sim queues no webhook), then the sim's charges are approved on its own books by SQL as
//      tests/api/payments.test.mjs does (status DONE: what 'paid' does, minus the webhook), and the
//      same clients confirm them for `--seconds` (or until none are left). Every confirm does the
//      full work: check, keep the key, ask the provider, settle the payment and the order.
//   C. the same "as is": prepared with outcome 'paid' for `--webhook-prepare` seconds, so the
//      sim's own webhooks (sent by the settlement loop) race the confirms; reports how many
//      payments the webhook had settled first (their confirm answered the paid payment at once).
//   B. latency at `--clients` (16) sequential clients: placing an order alone, then placing +
//      starting the payment + sim complete 'paid' + confirm, `--seconds` each.
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { startServer, dbKind, sqlOn, binary, root } from '../../tests/api/lib/harness.mjs';
import { register, loginAdmin } from '../../tests/api/lib/fixtures.mjs';
import { opt } from '../lib/args.mjs';

const seconds = Number(opt('seconds', '6'));
const prepareSeconds = Number(opt('prepare', '10'));
const webhookPrepareSeconds = Number(opt('webhook-prepare', '3'));
const maxPayments = Number(opt('max-payments', '20000'));
const concurrency = Number(opt('concurrency', '64'));
const clients = Number(opt('clients', '16'));
const outFile = opt('out', '');

const EC = '/api/v1/ecommerce';
const PAY = '/api/v1/payments';
const PRICE = 1000; // an amount the sim takes as is (amounts ending in 503/504 inject faults)

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const sql = (server, text) => sqlOn(server.db, text).trim();
const sqlNum = (server, text) => Number(sql(server, text) || 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function request(agent, port, method, path, body, token) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const headers = { 'content-length': Buffer.byteLength(data), authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(30000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

class Stats {
  constructor() { this.ms = []; }
  add(ms) { this.ms.push(ms); }
  pct(p) {
    if (!this.sorted) this.sorted = [...this.ms].sort((a, b) => a - b);
    const s = this.sorted;
    return s.length ? s[Math.min(s.length - 1, Math.ceil(s.length * p) - 1)] : 0;
  }
  get n() { return this.ms.length; }
  get mean() { return this.ms.reduce((a, b) => a + b, 0) / (this.ms.length || 1); }
  line() { return `${this.pct(0.5).toFixed(1)} / ${this.pct(0.95).toFixed(1)} / ${this.pct(0.99).toFixed(1)}`; }
}

async function timed(stats, fn) {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  stats?.add(Number(process.hrtime.bigint() - t0) / 1e6);
  return r;
}

let unexpected = 0;
function expect(r, status, what) {
  if (r.status === status) return JSON.parse(r.body).data;
  if (++unexpected <= 5) console.error(`unexpected ${what}: ${r.status} ${r.body.slice(0, 200)}`);
  return null;
}

// One buyer's way to a pending payment whose charge the sim has authorised; returns
// { id, key, amount, token } or null. `steps` (optional) collects each request's latency.
async function preparePayment(ctx, buyer, product, outcome, steps = {}) {
  const { agent, port } = ctx;
  const order = expect(await timed(steps.order, () => request(agent, port, 'POST', `${EC}/orders`,
    { items: [{ productId: product.id, quantity: 1 }] }, buyer.token)), 201, 'order');
  if (!order) return null;
  const started = expect(await timed(steps.start, () => request(agent, port, 'POST',
    `${EC}/orders/${order.id}/payment`, undefined, buyer.token)), 201, 'payment start');
  if (!started) return null;
  const done = expect(await timed(steps.complete, () => request(agent, port, 'POST',
    `${PAY}/sim/${started.payment.id}/complete`, { outcome }, buyer.token)), 200, 'sim complete');
  if (!done?.successUrl) return null;
  const q = new URL(done.successUrl).searchParams;
  return { id: started.payment.id, key: q.get('paymentKey'), amount: Number(q.get('amount')), token: buyer.token };
}

// `concurrency` clients prepare payments until the deadline or the cap.
async function prepare(ctx, outcome, secs) {
  const out = [];
  const deadline = Date.now() + secs * 1000;
  const start = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, c) => {
    while (Date.now() < deadline && out.length < maxPayments) {
      const p = await preparePayment(ctx, ctx.buyers[c % ctx.buyers.length], ctx.products[c % ctx.products.length], outcome);
      if (p) out.push(p);
    }
  }));
  return { payments: out, elapsed: (Date.now() - start) / 1000 };
}

// `concurrency` clients confirm the prepared payments, each once, until the deadline or none left.
async function confirmAll(ctx, payments, secs) {
  const stats = new Stats();
  const counts = { 200: 0, other: 0 };
  const paidIds = new Set();
  let next = 0;
  const deadline = Date.now() + secs * 1000;
  const start = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline && next < payments.length) {
      const p = payments[next++];
      const r = await timed(stats, () => request(ctx.agent, ctx.port, 'POST', `${PAY}/${p.id}/confirm`,
        { paymentKey: p.key, amount: p.amount }, p.token));
      const d = expect(r, 200, 'confirm');
      if (d?.status === 'paid' && d.id === p.id) { counts[200]++; paidIds.add(p.id); }
      else counts.other++;
    }
  }));
  const elapsed = (Date.now() - start) / 1000;
  return { stats, counts, paidIds, elapsed, used: next, exhausted: next >= payments.length, rps: (counts[200] + counts.other) / elapsed };
}

// `clients` sequential clients for `secs`: each flow either places an order, or places and pays it.
async function latency(ctx, pay, secs) {
  const total = new Stats();
  const steps = { order: new Stats(), start: new Stats(), complete: new Stats(), confirm: new Stats() };
  let ok = 0; let failed = 0; let completed = 0;
  const deadline = Date.now() + secs * 1000;
  const start = Date.now();
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    const buyer = ctx.buyers[c % ctx.buyers.length];
    const product = ctx.products[c % ctx.products.length];
    while (Date.now() < deadline) {
      const t0 = process.hrtime.bigint();
      let good = false;
      if (!pay) {
        good = !!expect(await timed(steps.order, () => request(ctx.agent, ctx.port, 'POST', `${EC}/orders`,
          { items: [{ productId: product.id, quantity: 1 }] }, buyer.token)), 201, 'order');
      } else {
        const p = await preparePayment(ctx, buyer, product, 'paid', steps);
        if (p) {
          completed++;
          const d = expect(await timed(steps.confirm, () => request(ctx.agent, ctx.port, 'POST', `${PAY}/${p.id}/confirm`,
            { paymentKey: p.key, amount: p.amount }, p.token)), 200, 'confirm');
          good = d?.status === 'paid';
        }
      }
      if (good) { ok++; total.add(Number(process.hrtime.bigint() - t0) / 1e6); } else failed++;
    }
  }));
  const elapsed = (Date.now() - start) / 1000;
  return { total, steps, ok, failed, completed, elapsed, perSec: ok / elapsed };
}

const server = await startServer();
const loadStart = loadavg();
const runStart = Date.now();
try {
  const admin = await loginAdmin(server.api);
  const buyers = await Promise.all(Array.from({ length: 8 }, () => register(server.api)));
  const products = [];
  for (let i = 0; i < 8; i++) {
    const r = await server.api.post(`${EC}/products`, { name: `Bench ${i}`, price: PRICE, category: 'bench', stock: 10_000_000 }, { token: admin.token });
    if (r.status !== 201) throw new Error(`product: ${r.status} ${r.text}`);
    products.push(r.data);
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(concurrency, clients) });
  const ctx = { agent, port: server.port, buyers, products };

  // A. confirm throughput, no webhook in the way.
  const prepA = await prepare(ctx, 'fail_on_confirm', prepareSeconds);
  sql(server, `UPDATE sim_charges SET status = 'DONE', balance = amount WHERE status = 'READY'`);
  const approved = sqlNum(server, `SELECT COUNT(*) FROM sim_charges WHERE status = 'DONE'`);
  const confA = await confirmAll(ctx, prepA.payments, seconds);
  const askedA = sqlNum(server, `SELECT COUNT(*) FROM sim_charges WHERE confirm_calls > 0`);

  // C. as is: the sim's webhooks race the confirms.
  const cFrom = Date.now();
  const prepC = await prepare(ctx, 'paid', webhookPrepareSeconds);
  const cIds = `SELECT order_id FROM sim_charges WHERE created_at >= ${cFrom}`;
  const paidBeforeC = sqlNum(server, `SELECT COUNT(*) FROM payments WHERE status = 'paid' AND id IN (${cIds})`);
  const confC = await confirmAll(ctx, prepC.payments, seconds);
  const cTo = Date.now();
  const webhookFirstC = sqlNum(server, `SELECT COUNT(*) FROM sim_charges WHERE created_at >= ${cFrom} AND created_at <= ${cTo} AND confirm_calls = 0`);

  // B. what paying adds to placing an order.
  const orderOnly = await latency(ctx, false, seconds);
  const bFrom = Date.now();
  const paying = await latency(ctx, true, seconds);
  const webhookFirstB = sqlNum(server, `SELECT COUNT(*) FROM sim_charges WHERE created_at >= ${bFrom} AND confirm_calls = 0`);
  agent.destroy();

  // The end state, once the sim's queued webhooks are all delivered (they must change nothing).
  // Waits until every queued webhook has been applied by the platform and marked delivered by the
  // sim (a delivery whose answer the sim did not get is sent again later; the replay is a no-op).
  const drainFrom = Date.now();
  const queued = sqlNum(server, `SELECT COUNT(*) FROM sim_webhooks`);
  let undelivered; let applied;
  for (;;) {
    undelivered = sqlNum(server, `SELECT COUNT(*) FROM sim_webhooks WHERE delivered_at IS NULL`);
    applied = sqlNum(server, `SELECT COUNT(*) FROM payment_events WHERE type = 'payment.paid'`);
    if ((undelivered === 0 && applied === queued) || Date.now() > drainFrom + 20000) break;
    await sleep(250);
  }
  const drainSecs = (Date.now() - drainFrom) / 1000;
  const retried = sqlNum(server, `SELECT COUNT(*) FROM sim_webhooks WHERE attempts > 1`);
  const apiPaid = (await server.api.get(`${PAY}?status=paid&limit=1`, { token: admin.token })).json?.data?.total;
  const apiPending = (await server.api.get(`${PAY}?status=pending&limit=1`, { token: admin.token })).json?.data?.total;
  const q = {
    paid: sqlNum(server, `SELECT COUNT(*) FROM payments WHERE status = 'paid'`),
    notPaidOrPending: sqlNum(server, `SELECT COUNT(*) FROM payments WHERE status NOT IN ('paid', 'pending')`),
    ordersPaid: sqlNum(server, `SELECT COUNT(*) FROM orders WHERE status = 'paid'`),
    paidWithoutPaidOrder: sqlNum(server, `SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.target_id WHERE p.status = 'paid' AND o.status <> 'paid'`),
    paidOrderWithoutPayment: sqlNum(server, `SELECT COUNT(*) FROM orders o WHERE o.status = 'paid' AND (SELECT COUNT(*) FROM payments p WHERE p.target_id = o.id AND p.status = 'paid') <> 1`),
    paidNotOneCharge: sqlNum(server, `SELECT COUNT(*) FROM payments p WHERE p.status = 'paid' AND (SELECT COUNT(*) FROM sim_charges s WHERE s.order_id = p.id AND s.status = 'DONE' AND s.balance = p.amount) <> 1`),
    chargesDone: sqlNum(server, `SELECT COUNT(*) FROM sim_charges WHERE status = 'DONE'`),
    heldSum: sqlNum(server, `SELECT COALESCE(SUM(balance), 0) FROM sim_charges WHERE status = 'DONE'`),
    paidSum: sqlNum(server, `SELECT COALESCE(SUM(amount), 0) FROM payments WHERE status = 'paid'`),
    webhookEvents: sqlNum(server, `SELECT COUNT(*) FROM payment_events WHERE type = 'payment.paid'`),
  };
  const leftoverA = prepA.payments.length - confA.used; // approved by the sim, never confirmed: stay pending
  const expectedPaid = confA.paidIds.size + prepC.payments.length + paying.completed;
  const checks = [
    [`paid payments (API ${apiPaid}, SQL ${q.paid}) = ${confA.paidIds.size} confirmed in A + ${prepC.payments.length} prepared in C + ${paying.completed} paid in B = ${expectedPaid}`,
      apiPaid === q.paid && q.paid === expectedPaid],
    [`every confirm in A answered 200 paid for its own payment, each payment once (${confA.counts[200]} answers, ${confA.paidIds.size} payments)`,
      confA.counts.other === 0 && confA.counts[200] === confA.paidIds.size],
    [`orders paid ${q.ordersPaid} = paid payments; paid payment without a paid order ${q.paidWithoutPaidOrder}; paid order without exactly one paid payment ${q.paidOrderWithoutPayment}`,
      q.ordersPaid === q.paid && q.paidWithoutPaidOrder === 0 && q.paidOrderWithoutPayment === 0],
    [`each paid payment has exactly one DONE sim charge holding its amount (exceptions ${q.paidNotOneCharge}); the sim holds ${q.heldSum} = ${q.paidSum} paid + ${leftoverA * PRICE} for the ${leftoverA} approved in A but not confirmed in time (still pending: API ${apiPending})`,
      q.paidNotOneCharge === 0 && q.heldSum === q.paidSum + leftoverA * PRICE && apiPending === leftoverA],
    [`no payment failed or was cancelled (${q.notPaidOrPending}); the sim was asked once per confirm that reached it in A (${askedA} of ${confA.used})`,
      q.notPaidOrPending === 0 && askedA === confA.used],
    [`every webhook the sim queued was applied once: ${q.webhookEvents} payment.paid events of ${queued} queued, ${drainSecs.toFixed(1)} s after the last phase; ` +
      `${retried} were sent more than once (the sim saw no answer in time; the replay changed nothing), ${undelivered} still awaiting the sim's retry at the end`,
      q.webhookEvents === queued],
  ];

  const date = execFileSync('date', ['-u', '+%Y-%m-%d %H:%M UTC'], { encoding: 'utf8' }).trim();
  const commit = (() => { try { return execFileSync('git', ['log', '-1', '--format=%h'], { encoding: 'utf8', cwd: root }).trim(); } catch { return '?'; } })();
  const pctRow = (s) => `${s.pct(0.5).toFixed(1)} | ${s.pct(0.95).toFixed(1)} | ${s.pct(0.99).toFixed(1)}`;
  const added = (p) => (paying.total.pct(p) - orderOnly.total.pct(p)).toFixed(1);
  const lines = [
    `### ${dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite'} — ${date}`,
    '',
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), shared with other work; server, Node load generator and database on the same host. ` +
      `Load average ${loadStart} at the start, ${loadavg()} at the end; ${((Date.now() - runStart) / 1000).toFixed(0)} s. ${binary.replace(/.*\/(build[^/]*\/o4o)$/, '$1')} built ${statSync(binary).mtime.toISOString().slice(0, 16).replace('T', ' ')} UTC, tree at ${commit}.`,
    '',
    '| measurement | result | p50 / p95 / p99 ms | non-2xx |',
    '|---|---|---|---|',
    `| A. confirm, ${concurrency} connections, ${confA.elapsed.toFixed(1)} s${confA.exhausted ? ' (all prepared used)' : ''}; no webhook | **${confA.rps.toFixed(0)} confirms/s** (${confA.counts[200]} paid) | ${confA.stats.line()} | ${confA.counts.other} |`,
    `| C. confirm as is, ${concurrency} connections, ${confC.elapsed.toFixed(1)} s${confC.exhausted ? ' (all prepared used)' : ''}; the sim's webhooks racing | ${confC.rps.toFixed(0)} confirms/s (${confC.counts[200]} answered paid) | ${confC.stats.line()} | ${confC.counts.other} |`,
    '',
    `Preparing: A ${prepA.payments.length} pending payments in ${prepA.elapsed.toFixed(1)} s (${(prepA.payments.length / prepA.elapsed).toFixed(0)}/s, 3 requests each), ${approved} charges approved on the sim's books by SQL; ` +
      `C ${prepC.payments.length} in ${prepC.elapsed.toFixed(1)} s, of which the webhook had paid ${paidBeforeC} before the confirms began and ${webhookFirstC} before their confirm reached the provider (those confirms answered the paid payment without asking the sim).`,
    '',
    `| ${clients} sequential clients, ${seconds} s each | flows/s | p50 ms | p95 ms | p99 ms |`,
    '|---|---|---|---|---|',
    `| B1. place an order | ${orderOnly.perSec.toFixed(0)} | ${pctRow(orderOnly.total)} |`,
    `| B2. place + start payment + sim complete + confirm | ${paying.perSec.toFixed(0)} | ${pctRow(paying.total)} |`,
    `| what paying adds (B2 − B1) | | ${added(0.5)} | ${added(0.95)} | ${added(0.99)} |`,
    `| B2 steps: order | | ${pctRow(paying.steps.order)} |`,
    `| B2 steps: POST /orders/:id/payment | | ${pctRow(paying.steps.start)} |`,
    `| B2 steps: POST /payments/sim/:id/complete | | ${pctRow(paying.steps.complete)} |`,
    `| B2 steps: POST /payments/:id/confirm | | ${pctRow(paying.steps.confirm)} |`,
    '',
    `B1: ${orderOnly.ok} orders, ${orderOnly.failed} failed. B2: ${paying.ok} paid, ${paying.failed} failed; the sim's webhook settled ${webhookFirstB} of them before their confirm reached the provider.`,
    '',
    'End state:',
    '',
    ...checks.map(([text, ok]) => `- ${ok ? 'ok' : '**FAILED**'}: ${text}`),
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  if (outFile) appendFileSync(outFile, text + '\n');
  if (unexpected) console.error(`${unexpected} unexpected answers`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
} finally {
  await server.stop();
}
