// Crowdfunding benchmark: starts its own server on loopback (rate limit off), seeds projects, and
// runs wrk against the project list, one project, and pledging. Bounded: each run lasts DURATION
// seconds. Writes bench/results/crowdfunding.md.
//   O4O_BINARY=build-crowdfunding/o4o node bench/crowdfunding/run.mjs   (O4O_TEST_DB=postgres too)
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, dbKind, root } from '../../tests/api/lib/harness.mjs';
import { register } from '../../tests/api/lib/fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const BASE = '/api/v1/crowdfunding';

// Async, so that the event loop keeps running (a blocked loop would reuse keep-alive connections
// the server has since closed for idleness).
async function wrk(url, { script, env = {} } = {}) {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency', '--timeout', '5s'];
  if (script) args.push('-s', path.join(here, script));
  const { stdout: out } = await promisify(execFile)('wrk', [...args, url], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: (DURATION + 30) * 1000 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const pct = (p) => /(\d+(?:\.\d+)?)(us|ms|s)/.exec(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '')?.[0] ?? '?';
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50: pct(50), p99: pct(99), non2xx };
}

const server = await startServer();
try {
  const api = server.api;
  const creator = await register(api, { role: 'creator' });
  const backer = await register(api);
  let projectId;
  for (let i = 0; i < 200; i++) {
    const r = await api.post(`${BASE}/projects`, {
      title: `Bench project ${i}`, description: `Project number ${i} for the benchmark`, goal: 1_000_000,
      deadline: new Date(Date.now() + 86400e3).toISOString(),
      rewards: [{ title: 'Card', minAmount: 10 }, { title: 'Mug', minAmount: 100, limit: 50 }],
    }, { token: creator.token });
    if (r.status !== 201) throw new Error(r.text);
    projectId = r.data.id;
  }
  const rows = [];
  rows.push(['GET /projects?limit=20', await wrk(`${server.baseUrl}${BASE}/projects?limit=20`)]);
  rows.push(['GET /projects?status=active&q=number 1', await wrk(`${server.baseUrl}${BASE}/projects?status=active&q=number%201`)]);
  rows.push(['GET /projects/:id', await wrk(`${server.baseUrl}${BASE}/projects/${projectId}`)]);
  rows.push(['POST /projects/:id/fund (one project)', await wrk(`${server.baseUrl}${BASE}/projects/${projectId}/fund`, { script: 'fund.lua', env: { CF_TOKEN: backer.token } })]);

  // wrk stops with requests still in flight; let the server finish them before checking
  await new Promise((r) => setTimeout(r, 1500));
  const p = (await api.get(`${BASE}/projects/${projectId}`)).data;
  let sum = 0;
  let total = 0;
  for (let page = 1; ; page++) {
    const d = (await api.get(`${BASE}/projects/${projectId}/pledges?limit=100&page=${page}`, { token: creator.token })).data;
    total = d.total;
    for (const x of d.items) if (!x.cancelledAt) sum += x.amount;
    if (d.items.length < 100) break;
  }
  const check = `After the pledge run: ${total} pledges stored, raised ${p.raised}, sum of stored pledges ${sum} ` +
    `(${sum === p.raised ? 'equal' : 'MISMATCH'}), backerCount ${p.backerCount}.`;

  const date = execFileSync('date', ['-u', '+%Y-%m-%d %H:%M UTC'], { encoding: 'utf8' }).trim();
  const lines = [
    `### ${dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite'} — ${date}`,
    '',
    `Machine: ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores (shared with other work); wrk -t2 -c${CONNECTIONS} -d${DURATION}s; 200 projects with 2 rewards each; O4O_RATE_LIMIT_RPS=0; release build.`,
    '',
    '| request | req/s | p50 | p99 | non-2xx |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(([name, r]) => `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} |`),
    '',
    check,
    '',
    '',
  ];
  const out = path.join(root, 'bench/results/crowdfunding.md');
  const header = '# Crowdfunding benchmarks\n\nNumbers move a lot between runs: the 2 cores are shared with other builds and tests.\nRun with `O4O_BINARY=build-crowdfunding/o4o node bench/crowdfunding/run.mjs` (add `O4O_TEST_DB=postgres` for PostgreSQL).\n\n';
  let prev = existsSync(out) ? readFileSync(out, 'utf8') : header;
  if (!prev.startsWith('# Crowdfunding')) prev = header;
  // keep one section per database: replace the previous one of this kind
  const kind = dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const sections = prev.split(/^(?=### )/m);
  const kept = sections.filter((s) => !s.startsWith(`### ${kind} `));
  writeFileSync(out, [...kept, lines.join('\n')].join(''));
  console.log(lines.join('\n'));
} catch (e) {
  console.error(`bench failed: ${e.cause?.message ?? e.message}; server exit ${server.proc.exitCode} ${server.proc.signalCode}`);
  console.error(server.output().slice(-4000));
  process.exitCode = 1;
} finally {
  await server.stop();
}
