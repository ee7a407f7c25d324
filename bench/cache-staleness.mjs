// How stale another instance's read can be (issue 17): two instances on one database, writes on
// one (a), timed reads on the other (b), while wrk keeps both instances busy and a background
// writer keeps a's commits and the channel busy. Per transport: Redis pub/sub, PostgreSQL
// LISTEN/NOTIFY, two processes sharing one SQLite file (PRAGMA data_version).
//
// One round: b holds the product in its cache; a changes its price; from the moment a's answer
// arrives (t0), 4 pollers read the product on b back to back until one of them sees the new
// price. Staleness is the start of the last read (begun after t0) that still returned the old
// price: a reader who asked then was answered with what was no longer true. The end of the first
// read with the new price is printed beside it: the same plus the read's own latency, an upper
// bound.
//
//   node bench/cache-staleness.mjs [--rounds 100] [--transport redis,notify,sqlite] [--no-load]
//                                  [--rate N]
// --rate N: the background wrk sends about N requests/s to each instance (4 connections, each
// pausing between requests) instead of as many as it can: a busy but not overcommitted machine.
// Bounded: each transport runs its rounds (at most 2 s each) and stops. Prints Markdown.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const rounds = Number(opt('--rounds', 100)) || 100;
const transports = opt('--transport', 'redis,notify,sqlite').split(',');
const loaded = !args.includes('--no-load');
const rate = Number(opt('--rate', 0)) || 0;  // 0: wrk as fast as it can
const REDIS = process.env.O4O_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const POLLERS = 4;

// The harness reads O4O_TEST_DB when it is imported: set it per transport, import afresh.
async function harness(kind) {
  process.env.O4O_TEST_DB = kind;
  return import(`../tests/api/lib/harness.mjs?db=${kind}`);
}
const { loginAdmin } = await import('../tests/api/lib/fixtures.mjs');

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
// A light client: the bench process must not be the slowest part of what it measures.
function request(base, method, path, { token, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload) { headers['content-type'] = 'application/json'; headers['content-length'] = Buffer.byteLength(payload); }
    const req = http.request(base + path, { method, agent, headers, timeout: 30000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    if (payload) req.write(payload);
    req.end();
  });
}
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A counter from an instance's /metrics (undefined when it has none).
async function metricOf(base, name) {
  const text = await new Promise((resolve, reject) => {
    http.get(base + '/metrics', { agent }, (res) => {
      let t = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { t += d; });
      res.on('end', () => resolve(t));
    }).on('error', reject);
  });
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

async function createProduct(base, token, name) {
  const r = await request(base, 'POST', '/api/v1/ecommerce/products',
    { token, body: { name, description: 'd', price: 1000, category: 'staleness', stock: 1000000 } });
  if (r.status !== 201) throw new Error(`create product: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.data.id;
}

// wrk against one URL until stopped: keeps an instance's IO threads and workers busy. With
// --rate, 4 connections each wait 4000/N ms between requests (wrk's delay() hook). stop() gives
// the requests/s wrk reports.
function backgroundWrk(url) {
  const wrkArgs = ['-t1', '-d600s'];
  if (rate) {
    const script = path.join(mkdtempSync(path.join(tmpdir(), 'o4o-wrk-')), 'rate.lua');
    writeFileSync(script, `function delay() return ${Math.max(1, Math.round(4000 / rate))} end\n`);
    wrkArgs.push('-c4', '-s', script);
  } else {
    wrkArgs.push('-c16');
  }
  const p = spawn('wrk', [...wrkArgs, url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => p.on('exit', resolve));
  return async () => {
    p.kill('SIGINT');
    await exited;
    return Number(/Requests\/sec:\s*([\d.]+)/.exec(out)?.[1] ?? NaN);
  };
}

async function round(a, b, token, path, price) {
  // b holds the old value in its cache (the second read is a hit).
  await request(b.baseUrl, 'GET', path);
  await request(b.baseUrl, 'GET', path);
  const putStart = now();
  const put = await request(a.baseUrl, 'PUT', path, { token, body: { price } });
  if (put.status !== 200) throw new Error(`put: ${put.status} ${JSON.stringify(put.json)}`);
  const t0 = now();
  let lastStaleStart = 0;  // relative to t0; 0: no read begun after t0 was stale
  let firstFreshEnd = Infinity;
  let done = false;
  const poll = async () => {
    while (!done) {
      const start = now();
      const r = await request(b.baseUrl, 'GET', path);
      const end = now();
      if (r.json?.data?.price === price) {
        firstFreshEnd = Math.min(firstFreshEnd, end - t0);
        done = true;
      } else {
        lastStaleStart = Math.max(lastStaleStart, start - t0);
        if (end - t0 > 2000) throw new Error(`b still read ${r.json?.data?.price} 2 s after a wrote ${price}`);
      }
    }
  };
  await Promise.all(Array.from({ length: POLLERS }, poll));
  return { stale: lastStaleStart, fresh: firstFreshEnd, write: t0 - putStart };
}

async function measure(transport) {
  const kind = transport === 'sqlite' ? 'sqlite' : 'postgres';
  const { startServer } = await harness(kind);
  const env = { O4O_ACCESS_LOG: '0', O4O_LOG_LEVEL: 'warn', ...(transport === 'redis' ? { O4O_REDIS_URL: REDIS } : {}) };
  const a = await startServer({ env });
  const b = await startServer({ env, database: a.db, admin: false });
  const stops = [];
  // The 1-minute load average every second while measuring: its range goes with the numbers.
  const loads = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 1000);
  try {
    const { token } = await loginAdmin(a.api);
    const id = await createProduct(a.baseUrl, token, 'Staleness probe');
    const hot = await createProduct(a.baseUrl, token, 'Background load');
    const other = await createProduct(a.baseUrl, token, 'Background writes');
    const path = `/api/v1/ecommerce/products/${id}`;
    const load0 = loadavg()[0];
    let writing = false;
    let backgroundWrites = 0;
    let writer = Promise.resolve();
    let writerError;
    if (loaded) {
      stops.push(backgroundWrk(`${a.baseUrl}/api/v1/ecommerce/products/${hot}`));
      stops.push(backgroundWrk(`${b.baseUrl}/api/v1/ecommerce/products/${hot}`));
      // Writes on a that b does not read: a's commits and the channel are busy too.
      writing = true;
      writer = (async () => {
        for (let i = 0; writing; i++) {
          await request(a.baseUrl, 'PUT', `/api/v1/ecommerce/products/${other}`, { token, body: { stock: 1000 + (i % 1000) } });
          backgroundWrites++;
          await sleep(5);
        }
      })().catch((e) => { writerError = e; });
      await sleep(1000);
    }
    const stale = [];
    const fresh = [];
    const writes = [];
    const t = now();
    try {
      for (let i = 1; i <= rounds; i++) {
        const r = await round(a, b, token, path, 2000 + i);
        stale.push(r.stale);
        fresh.push(r.fresh);
        writes.push(r.write);
      }
    } catch (e) {
      console.error(`a: ${a.proc.exitCode ?? a.proc.signalCode ?? 'running'}\n${a.output().slice(-3000)}\nb: ${b.proc.exitCode ?? b.proc.signalCode ?? 'running'}`);
      throw e;
    } finally {
      writing = false;
      await writer;
    }
    if (writerError) throw writerError;
    const seconds = (now() - t) / 1000;
    const load1 = loadavg()[0];
    const wrkRates = await Promise.all(stops.splice(0).map((stop) => stop()));
    // Every write of a's (the background writer's too): answered with b's ack, or without it.
    const acked = await metricOf(a.baseUrl, 'o4o_cache_acked_writes_total');
    const ackTimeouts = await metricOf(a.baseUrl, 'o4o_cache_ack_timeouts_total');
    return { transport, stale, fresh, writes, acked, ackTimeouts, load0, load1, loads: [...loads], wrkRates, backgroundWrites: backgroundWrites / seconds };
  } finally {
    clearInterval(sampler);
    for (const stop of stops) await stop();
    await b.stop({ keepDatabase: true });
    await a.stop();
  }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const ms = (x) => x.toFixed(1);
const names = { redis: 'Redis pub/sub (PostgreSQL)', notify: 'PostgreSQL LISTEN/NOTIFY', sqlite: 'SQLite, one file, `PRAGMA data_version`' };

const results = [];
for (const transport of transports) results.push(await measure(transport));
agent.destroy();

console.log(`#### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} × ${cpus()[0].model.trim()}, ${rounds} writes per transport, ${loaded ? `${POLLERS} pollers, both instances under ${rate ? `wrk at about ${rate} requests/s each` : 'wrk -t1 -c16'} and a background writer on a` : 'no load'}

| transport | staleness p50 | p99 | worst | first fresh read's end p50 / p99 / worst | write answered p50 / p99 | a's writes answered without b's ack / with | load average (start → end; range) | wrk requests/s on a / b | background writes/s |
|---|---|---|---|---|---|---|---|---|---|`);
for (const r of results) {
  if (args.includes('--samples')) console.error(r.transport, 'stale', [...r.stale].sort((x, y) => y - x).slice(0, 10).map(ms).join(' '), 'fresh', [...r.fresh].sort((x, y) => y - x).slice(0, 10).map(ms).join(' '));
  console.log(`| ${names[r.transport]} | ${ms(quantile(r.stale, 0.5))} ms | ${ms(quantile(r.stale, 0.99))} ms | **${ms(Math.max(...r.stale))} ms** | ${ms(quantile(r.fresh, 0.5))} / ${ms(quantile(r.fresh, 0.99))} / ${ms(Math.max(...r.fresh))} ms | ${ms(quantile(r.writes, 0.5))} / ${ms(quantile(r.writes, 0.99))} ms | ${r.ackTimeouts === undefined ? '–' : `${r.ackTimeouts} / ${r.acked}`} | ${r.load0.toFixed(1)} → ${r.load1.toFixed(1)}; ${Math.min(r.load0, ...r.loads).toFixed(1)}–${Math.max(r.load0, ...r.loads).toFixed(1)} | ${r.wrkRates.length ? r.wrkRates.map((x) => x.toFixed(0)).join(' / ') : '–'} | ${r.backgroundWrites.toFixed(0)} |`);
}
