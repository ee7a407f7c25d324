// Crowdfunding benchmark: starts its own server on loopback (rate limit off), seeds projects, and
// runs wrk against the project list, one project, and pledging. Bounded: each run lasts DURATION
// seconds. Writes bench/results/crowdfunding.md.
//   O4O_BINARY=build-crowdfunding/o4o node bench/crowdfunding/run.mjs   (O4O_TEST_DB=postgres too)
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, dbKind, root } from '../../tests/api/lib/harness.mjs';
import { register } from '../../tests/api/lib/fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const BASE = '/api/v1/crowdfunding';

function wrk(url, { script, env = {} } = {}) {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency', '--timeout', '5s'];
  if (script) args.push('-s', path.join(here, script));
  const out = execFileSync('wrk', [...args, url], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: (DURATION + 30) * 1000 });
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
  rows.push(['GET /projects?limit=20', wrk(`${server.baseUrl}${BASE}/projects?limit=20`)]);
  rows.push(['GET /projects?status=active&q=number 1', wrk(`${server.baseUrl}${BASE}/projects?status=active&q=number%201`)]);
  rows.push(['GET /projects/:id', wrk(`${server.baseUrl}${BASE}/projects/${projectId}`)]);
  rows.push(['POST /projects/:id/fund (one project)', wrk(`${server.baseUrl}${BASE}/projects/${projectId}/fund`, { script: 'fund.lua', env: { CF_TOKEN: backer.token } })]);

  const p = (await api.get(`${BASE}/projects/${projectId}`)).data;
  const pledges = (await api.get(`${BASE}/projects/${projectId}/pledges?limit=1`, { token: creator.token })).data;
  const check = `after the pledge run: raised ${p.raised}, pledges ${pledges.total}, backerCount ${p.backerCount}`;

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
  ];
  const out = path.join(root, 'bench/results/crowdfunding.md');
  const header = '# Crowdfunding benchmarks\n\nRun with `O4O_BINARY=build-crowdfunding/o4o node bench/crowdfunding/run.mjs` (add `O4O_TEST_DB=postgres` for PostgreSQL).\n\n';
  let prev = existsSync(out) ? readFileSync(out, 'utf8') : header;
  if (!prev.startsWith('# Crowdfunding')) prev = header;
  // keep one section per database: replace the previous one of this kind
  const kind = dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const sections = prev.split(/^(?=### )/m);
  const kept = sections.filter((s) => !s.startsWith(`### ${kind} `));
  writeFileSync(out, [...kept, lines.join('\n')].join(''));
  console.log(lines.join('\n'));
} finally {
  await server.stop();
}
