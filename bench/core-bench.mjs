// Throughput and latency of the core against nginx serving a static file, in the same run, with
// wrk over loopback; plus idle memory, start-to-first-answer time, and threads.
// Usage: node bench/core-bench.mjs [seconds per run, default 10]  → prints a Markdown section.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wrk as wrkRun } from './lib/wrk.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = process.env.O4O_BINARY || path.join(root, 'build/o4o');
const seconds = Number(process.argv[2] || 10);
const conns = 64;
const dir = mkdtempSync(path.join(tmpdir(), 'o4o-bench-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const wrk = (url) => wrkRun(url, { seconds, conns });

async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024, threads: Number(/Threads:\s+(\d+)/.exec(status)[1]) };
}

// nginx serving a small static file, two workers like our two IO threads.
const nginxPort = await freePort();
writeFileSync(path.join(dir, 'health.json'), '{"status":"ok"}');
writeFileSync(path.join(dir, 'nginx.conf'), `worker_processes 2; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${nginxPort}; root ${dir}; location / { default_type application/json; } } }`);
const nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });

// o4o on SQLite with demo data, access log and rate limit off (a benchmark client is one address).
const db = `sqlite:${dir}/o4o.db`;
const env = { ...process.env, O4O_RATE_LIMIT_RPS: '0', O4O_PASSWORD_HASH_PER_MIN: '0', O4O_MAX_CONNECTIONS_PER_IP: '1000000', O4O_ACCESS_LOG: '0', O4O_LOG_LEVEL: 'warn' };
execFileSync(binary, ['seed', '--database', db], { env, stdio: 'ignore' });
const port = await freePort();
const t0 = process.hrtime.bigint();
const o4o = spawn(binary, ['serve', '--port', String(port), '--database', db, '--web-root', path.join(root, 'web/dist')], { env, stdio: 'ignore' });
let firstAnswerMs;
for (;;) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (r.ok) { firstAnswerMs = Number(process.hrtime.bigint() - t0) / 1e6; break; }
  } catch { /* not yet */ }
  await sleep(2);
}
await sleep(1000);
const idle = rssMb(o4o.pid);
const products = await (await fetch(`http://127.0.0.1:${port}/api/v1/ecommerce/products?limit=1`)).json();
const productId = products.data.items[0].id;

const results = {};
results.nginx = wrk(`http://127.0.0.1:${nginxPort}/health.json`);
results.healthz = wrk(`http://127.0.0.1:${port}/healthz`);
results.product = wrk(`http://127.0.0.1:${port}/api/v1/ecommerce/products/${productId}`);
results.list = wrk(`http://127.0.0.1:${port}/api/v1/ecommerce/products?limit=20`);
const loaded = rssMb(o4o.pid);

o4o.kill('SIGTERM');
nginx.kill('SIGQUIT');
await sleep(500);
rmSync(dir, { recursive: true, force: true });

const pct = (a, b) => `${((100 * a) / b).toFixed(0)} %`;
const row = (name, r) => `| ${name} | ${r.rps.toFixed(0)} | ${pct(r.rps, results.nginx.rps)} | ${r.p99.toFixed(2)} | ${r.non2xx} |`;
console.log(`### Core throughput (${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0].model.trim()}, wrk -t2 -c${conns} -d${seconds}s over loopback)

| target | req/s | vs nginx static | p99 ms | non-2xx |
|---|---|---|---|---|
${row('nginx 1.22, static file (2 workers)', results.nginx)}
${row('o4o GET /healthz', results.healthz)}
${row('o4o GET /api/v1/ecommerce/products/:id (SQLite)', results.product)}
${row('o4o GET /api/v1/ecommerce/products?limit=20 (SQLite)', results.list)}

- start to first answer: ${firstAnswerMs.toFixed(0)} ms (spawn → first 200 on /healthz, database migrated)
- idle memory: ${idle.rss.toFixed(1)} MB RSS, ${idle.threads} threads; after the runs: ${loaded.rss.toFixed(1)} MB, ${loaded.threads} threads
`);
