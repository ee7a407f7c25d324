// Hot reads from memory (issue 17): GET /products/:id and GET /products?limit=20 against nginx
// serving the very same JSON bytes as static files, in the same run, wrk -t2 -c64 over loopback;
// and the same reads with the cache off (O4O_CACHE_MB=0) on the same database, for the gain.
// The database is the one O4O_TEST_DB names (sqlite | postgres). On a shared machine one run
// says little: --rounds N repeats the nginx/o4o pairs N times, alternating, and the table gives
// each pair's median ratio (and the range). Bounded: 2 + 4 × rounds runs of --seconds.
//
//   O4O_TEST_DB=postgres node bench/cache-bench.mjs [--seconds 5] [--rounds 3]  → Markdown
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { startServer, freePort, dbKind } from '../tests/api/lib/harness.mjs';
import { loginAdmin } from '../tests/api/lib/fixtures.mjs';
import { wrk as wrkRun } from './lib/wrk.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) || fallback : fallback;
};
const seconds = option('--seconds', 5);
const rounds = Math.min(option('--rounds', 1), 10);
const conns = 64;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const wrk = (url) => wrkRun(url, { seconds, conns });

const env = { O4O_ACCESS_LOG: '0', O4O_LOG_LEVEL: 'warn' };
const server = await startServer({ env });
const off = await startServer({ env: { ...env, O4O_CACHE_MB: '0' }, database: server.db, admin: false });
const admin = await loginAdmin(server.api);
for (let i = 0; i < 30; i++) {
  const r = await server.api.post('/api/v1/ecommerce/products', {
    name: `Bench product ${i}`, description: 'A product to read many times over, with a description of ordinary length.',
    price: 1000 + i, category: 'bench', stock: 100,
  }, { token: admin.token });
  if (r.status !== 201) throw new Error(`create product: ${r.text}`);
}
const list = await server.api.get('/api/v1/ecommerce/products?limit=20');
const productId = list.data.items[0].id;
const productPath = `/api/v1/ecommerce/products/${productId}`;
const listPath = '/api/v1/ecommerce/products?limit=20';

// nginx, two workers like our two IO threads, serving the same answers as files.
const dir = mkdtempSync(path.join(tmpdir(), 'o4o-cache-bench-'));
writeFileSync(path.join(dir, 'product.json'), (await server.api.get(productPath)).text);
writeFileSync(path.join(dir, 'list.json'), list.text);
const nginxPort = await freePort();
writeFileSync(path.join(dir, 'nginx.conf'), `worker_processes 2; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${nginxPort}; root ${dir}; location / { default_type application/json; } } }`);
const nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
await sleep(500);

const load = loadavg()[0];
const r = {};
const pairs = { product: [], list: [] };  // per round: [nginx, o4o]
try {
  for (let round = 0; round < rounds; round++) {
    pairs.product.push([wrk(`http://127.0.0.1:${nginxPort}/product.json`), wrk(server.baseUrl + productPath)]);
    pairs.list.push([wrk(`http://127.0.0.1:${nginxPort}/list.json`), wrk(server.baseUrl + listPath)]);
  }
  r.productOff = wrk(off.baseUrl + productPath);
  r.listOff = wrk(off.baseUrl + listPath);
} finally {
  nginx.kill('SIGQUIT');
  await off.stop({ keepDatabase: true });
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const loadAfter = loadavg()[0];
// The round whose o4o/nginx ratio is the median stands for the run.
const median = (list) => {
  const sorted = [...list].sort((a, b) => a[1].rps / a[0].rps - b[1].rps / b[0].rps);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
[r.nginxProduct, r.product] = median(pairs.product);
[r.nginxList, r.list] = median(pairs.list);
const range = (list) => {
  const ratios = list.map(([n, o]) => (100 * o.rps) / n.rps).sort((a, b) => a - b);
  return `${ratios[0].toFixed(0)}–${ratios[ratios.length - 1].toFixed(0)} %`;
};
const pct = (a, b) => `${((100 * a) / b).toFixed(0)} %`;
const row = (name, x, base) => `| ${name} | ${x.rps.toFixed(0)} | ${pct(x.rps, base.rps)} | ${x.p99.toFixed(2)} | ${x.non2xx} |`;
const db = dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite';
console.log(`#### ${db} — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} × ${cpus()[0].model.trim()}, load average ${load.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end, wrk -t2 -c${conns} -d${seconds}s, ${rounds} round(s): the median round (ratios over the rounds: product ${range(pairs.product)}, list ${range(pairs.list)})

| target | req/s | vs nginx, same JSON | p99 ms | non-2xx |
|---|---|---|---|---|
${row('nginx 1.22, product JSON as a file', r.nginxProduct, r.nginxProduct)}
${row(`o4o GET /products/:id, cache on (${db})`, r.product, r.nginxProduct)}
${row(`o4o GET /products/:id, O4O_CACHE_MB=0 (${db})`, r.productOff, r.nginxProduct)}
${row('nginx 1.22, list JSON (20 products) as a file', r.nginxList, r.nginxList)}
${row(`o4o GET /products?limit=20, cache on (${db})`, r.list, r.nginxList)}
${row(`o4o GET /products?limit=20, O4O_CACHE_MB=0 (${db})`, r.listOff, r.nginxList)}
`);
