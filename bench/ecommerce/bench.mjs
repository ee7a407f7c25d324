// E-commerce benchmark: orders per second under contention on one hot product, and product reads
// per second (GET /products/:id with wrk, 64 connections). Starts its own server on loopback with
// a fresh database (O4O_TEST_DB=postgres for PostgreSQL) and the rate limit off; bounded in time.
//
//   O4O_BINARY=build-ecommerce/o4o node bench/ecommerce/bench.mjs [--seconds 10] [--out FILE]
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { startServer, dbKind } from '../../tests/api/lib/harness.mjs';
import { commitRate, serverHistogram, within } from './measure.mjs';
import { register, loginAdmin } from '../../tests/api/lib/fixtures.mjs';
import { flag, opt } from '../lib/args.mjs';

const seconds = Number(opt('seconds', '10'));
const outFile = opt('out', '');
const orderConcurrency = Number(opt('concurrency', '64'));
const ordersOnly = flag('orders-only');

const BASE = '/api/v1/ecommerce';

function post(agent, port, path, body, token) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({
      host: '127.0.0.1', port, path, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${token}` },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(30000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

// Orders from `concurrency` parallel clients for `seconds`: most take one unit of the hot product,
// some two, some a multi-product basket. Stock is enough for the whole run, so every order
// contends for the same row; then a second, short phase sells out a small stock to measure 409s.
async function orderPhase(server, tokens, products) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: orderConcurrency });
  const { hot, side } = products;
  const latencies = [];
  const counts = { 201: 0, 409: 0, other: 0 };
  const deadline = Date.now() + seconds * 1000;
  let n = 0;
  let hotUnits = 0;
  async function client(c) {
    while (Date.now() < deadline) {
      const k = n++;
      const items = k % 10 === 0 ? [{ productId: side.id, quantity: 1 }, { productId: hot.id, quantity: 1 }]
        : k % 10 === 1 ? [{ productId: hot.id, quantity: 2 }] : [{ productId: hot.id, quantity: 1 }];
      const t0 = process.hrtime.bigint();
      const r = await post(agent, server.port, `${BASE}/orders`, { items }, tokens[c % tokens.length]);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status === 201) {
        counts[201]++;
        for (const i of JSON.parse(r.body).data.items) if (i.productId === hot.id) hotUnits += i.quantity;
      }
      else if (r.status === 409) counts[409]++;
      else { counts.other++; if (counts.other < 3) console.error('unexpected', r.status, r.body.slice(0, 200)); }
    }
  }
  const start = Date.now();
  await Promise.all(Array.from({ length: orderConcurrency }, (_, c) => client(c)));
  const elapsed = (Date.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { elapsed, counts, hotUnits, rps: (counts[201] + counts[409]) / elapsed, ordersPerSec: counts[201] / elapsed, p50: pct(0.5), p99: pct(0.99) };
}

function wrk(url, secs) {
  const out = execFileSync('wrk', ['-t2', '-c64', `-d${secs}s`, '--latency', url], { encoding: 'utf8', timeout: (secs + 30) * 1000 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p99 = /99%\s+([\d.]+\w+)/.exec(out)?.[1] ?? '?';
  const p50 = /50%\s+([\d.]+\w+)/.exec(out)?.[1] ?? '?';
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50, p99, non2xx, raw: out };
}

// The server's own time for the orders (request read → answer handed to the socket): the share
// it answered within 5, 10 and 25 ms, apart from the load generator's own delays.
async function serverSide(server) {
  return within(await serverHistogram(server.api, '/ecommerce/orders'));
}

async function getJson(server, path, token) {
  const r = await server.api.get(path, { token });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
  return r.data;
}

const server = await startServer();
try {
  const admin = await loginAdmin(server.api);
  const users = await Promise.all(Array.from({ length: 4 }, () => register(server.api)));
  const tokens = users.map((u) => u.token);
  const mk = async (fields) => (await server.api.post(`${BASE}/products`, { price: 1000, category: 'bench', ...fields }, { token: admin.token })).data;
  const hot = await mk({ name: 'Hot', stock: 10_000_000 });
  const side = await mk({ name: 'Side', stock: 10_000_000 });
  for (let i = 0; i < 50; i++) await mk({ name: `Filler ${i}`, stock: 10 });

  const commitsBefore = commitRate(server.db.url, Math.min(seconds, 4));
  const contended = await orderPhase(server, tokens, { hot, side });
  const served = await serverSide(server);
  const commitsAfter = commitRate(server.db.url, Math.min(seconds, 4));
  const commits = commitsBefore === null ? null : (commitsBefore.rate + commitsAfter.rate) / 2;
  // invariant check after the run: every unit sold is in an order
  const hotNow = (await getJson(server, `${BASE}/products/${hot.id}`)).stock;
  const orders = await getJson(server, `${BASE}/orders?limit=1`, admin.token);

  // Sell-out phase: a small stock, the same load; most answers are 409 OUT_OF_STOCK.
  const scarce = await mk({ name: 'Scarce', stock: 500 });
  const sellOut = await orderPhase(server, tokens, { hot: scarce, side });
  const scarceNow = (await getJson(server, `${BASE}/products/${scarce.id}`)).stock;

  const reads = ordersOnly ? { rps: 0, p50: '-', p99: '-', non2xx: 0, raw: '' }
    : wrk(`${server.baseUrl}${BASE}/products/${hot.id}`, seconds);

  const date = execFileSync('date', ['-u', '+%Y-%m-%d %H:%M UTC'], { encoding: 'utf8' }).trim();
  const lines = [
    `### ${dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite'} — ${date}`,
    '',
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), shared with other work; server, load generator and database on the same host.`,
    '',
    '| measurement | result |',
    '|---|---|',
    `| orders, one hot product, ${orderConcurrency} clients, ${seconds} s | **${contended.ordersPerSec.toFixed(0)} orders/s** (201: ${contended.counts[201]}, 409: ${contended.counts[409]}, other: ${contended.counts.other}); latency p50 ${contended.p50.toFixed(1)} ms, p99 ${contended.p99.toFixed(1)} ms |`,
    ...(commits === null ? [] : [`| one-row durable commits (BEGIN IMMEDIATE; INSERT; COMMIT, WAL, synchronous=FULL), same disk, before / after the orders | ${commitsBefore.rate} / ${commitsAfter.rate} commits/s → orders are **${(contended.ordersPerSec / commits).toFixed(2)}×** their mean; one commit p50 ${commitsBefore.p50} / ${commitsAfter.p50} ms, p99 ${commitsBefore.p99} / ${commitsAfter.p99} ms |`]),
    `| the server's own time for those orders (request read → answer written; its histogram) | ${served.share('0.005').toFixed(1)} % within 5 ms, ${served.share('0.01').toFixed(1)} % within 10 ms, ${served.share('0.025').toFixed(1)} % within 25 ms (of ${served.all}) |`,
    `| sell-out of 500 units, ${orderConcurrency} clients, ${seconds} s | ${sellOut.rps.toFixed(0)} answers/s (201: ${sellOut.counts[201]}, 409: ${sellOut.counts[409]}, other: ${sellOut.counts.other}); stock left ${scarceNow}; p99 ${sellOut.p99.toFixed(1)} ms |`,
    `| GET /products/:id, wrk -t2 -c64, ${seconds} s | **${reads.rps.toFixed(0)} req/s**, latency p50 ${reads.p50}, p99 ${reads.p99}, non-2xx ${reads.non2xx} |`,
    '',
    `Check after the contended run: hot stock ${hotNow} ${hotNow === 10_000_000 - contended.hotUnits ? '=' : '≠ (BUG)'} 10000000 − ${contended.hotUnits} units sold; after the sell-out ${scarceNow} units left ${scarceNow === 500 - sellOut.hotUnits ? '=' : '≠ (BUG)'} 500 − ${sellOut.hotUnits} sold; ${orders.total} orders in the database.`,
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  console.error(reads.raw);
  if (outFile) appendFileSync(outFile, text + '\n');
} finally {
  await server.stop();
}
