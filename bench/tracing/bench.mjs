// Tracing benchmark: what exporting spans costs on product reads. Two servers on one fresh
// database each (same binary, same settings), one with O4O_OTLP_ENDPOINT pointing at an OTLP/HTTP
// receiver in this process, one without; wrk (2 threads, 64 connections) reads GET /products/:id
// and GET /products?limit=20 from each in turn, alternating off/on rounds so that drift on a shared
// machine falls on both alike. Reports requests per second and the on/off ratio.
//
//   node bench/tracing/bench.mjs [--seconds 5] [--rounds 3] [--out FILE]
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { startServer } from '../../tests/api/lib/harness.mjs';
import { loginAdmin } from '../../tests/api/lib/fixtures.mjs';
import { opt } from '../lib/args.mjs';

const seconds = Number(opt('seconds', '5'));
const rounds = Number(opt('rounds', '3'));
const outFile = opt('out', '');

// The collector: counts the spans it is sent.
let received = 0;
const receiver = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => { raw += d; });
  req.on('end', () => {
    try {
      for (const rs of JSON.parse(raw).resourceSpans) for (const ss of rs.scopeSpans) received += ss.spans.length;
    } catch { /* counted as nothing */ }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const endpoint = `http://127.0.0.1:${receiver.address().port}`;

function wrk(url, secs) {
  const out = execFileSync('wrk', ['-t2', '-c64', `-d${secs}s`, '--latency', url], { encoding: 'utf8', timeout: (secs + 30) * 1000 });
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p99: /99%\s+([\d.]+\w+)/.exec(out)?.[1] ?? '?',
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
  };
}

async function prepare(server) {
  const admin = await loginAdmin(server.api);
  const mk = async (i) => (await server.api.post('/api/v1/ecommerce/products',
    { name: `Product ${i}`, price: 1000 + i, category: 'bench', stock: 100 }, { token: admin.token })).data;
  const first = await mk(0);
  for (let i = 1; i < 40; i++) await mk(i);
  return first.id;
}

const off = await startServer();
const on = await startServer({ env: { O4O_OTLP_ENDPOINT: endpoint } });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const targets = { off: { server: off, id: await prepare(off) }, on: { server: on, id: await prepare(on) } };
  const paths = { 'GET /products/:id': (id) => `/api/v1/ecommerce/products/${id}`, 'GET /products?limit=20': () => '/api/v1/ecommerce/products?limit=20' };
  const results = {};
  for (const [label, path] of Object.entries(paths)) {
    results[label] = { off: [], on: [], p99: {} };
    for (const mode of ['off', 'on']) wrk(targets[mode].server.baseUrl + path(targets[mode].id), 1); // warm up
    for (let r = 0; r < rounds; r++) {
      for (const mode of r % 2 ? ['on', 'off'] : ['off', 'on']) {
        const w = wrk(targets[mode].server.baseUrl + path(targets[mode].id), seconds);
        if (w.non2xx) throw new Error(`${label} ${mode}: ${w.non2xx} non-2xx answers`);
        results[label][mode].push(w.rps);
        results[label].p99[mode] = w.p99;
      }
    }
  }
  await new Promise((r) => setTimeout(r, 1500)); // the last batch
  const metrics = await (await fetch(on.baseUrl + '/metrics')).text();
  const exported = Number(/o4o_trace_spans_total\{outcome="exported"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  const droppedFull = Number(/o4o_trace_spans_total\{outcome="dropped_queue_full"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  const lines = [
    `### Tracing on vs off (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, SQLite, wrk -t2 -c64, ${rounds} alternating rounds of ${seconds} s, median)`,
    '',
    '| read | off (req/s) | on, exporting (req/s) | on / off | p99 off / on |',
    '|---|---|---|---|---|',
  ];
  for (const [label, r] of Object.entries(results)) {
    const a = median(r.off), b = median(r.on);
    lines.push(`| ${label} | ${a.toFixed(0)} | ${b.toFixed(0)} | **${(b / a).toFixed(3)}** (${((1 - b / a) * 100).toFixed(1)} % cost) | ${r.p99.off} / ${r.p99.on} |`);
  }
  lines.push('', `Spans exported to the receiver: ${exported} (received ${received}); dropped because the queue was full: ${droppedFull}.`, '');
  const text = lines.join('\n');
  console.log(text);
  if (outFile) appendFileSync(outFile, text + '\n');
} finally {
  await off.stop();
  await on.stop();
  receiver.close();
}
