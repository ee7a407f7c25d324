// Orders (and pledges) on one hot row at 64 connections, with wrk as the load generator: every
// request a POST with its own Idempotency-Key and a bearer token (bench/ecommerce/post.lua), so
// the client costs little of the 2 cores it shares with the server (a Node client's own event
// loop added tens of ms to the p99). Starts its own server on loopback with a fresh database
// (O4O_TEST_DB=postgres for PostgreSQL), rate limit off; each phase is bounded in time.
//
// SQLite: the disk's one-row durable commit rate is measured in the same run, before and after
// each orders round (bench/ecommerce/commit_rate.cpp), as the yardstick of group commit.
// Before each round the page cache is written back (`sync`): otherwise what the last phase, the
// build or another run left dirty is flushed during the round, and on a disk without FUA a WAL
// flush waits behind it (single commits of 100–200 ms were seen so). A round's own writes, and
// the database's own checkpoints, still count.
// After each phase the rows are checked: hot stock = initial − units in stored order items,
// stored orders ≥ 201 answers; raised = sum of stored pledges, stored pledges ≥ 201 answers.
//
//   node bench/ecommerce/orders-wrk.mjs [--seconds 8] [--rounds 3] [--threads 1] [--no-pledges]
//     [--out FILE]
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startServer, dbKind, sqlOn } from '../../tests/api/lib/harness.mjs';
import { register, loginAdmin } from '../../tests/api/lib/fixtures.mjs';
import { commitRate, serverHistogram, within } from './measure.mjs';
import { flag, opt } from '../lib/args.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = Number(opt('seconds', '8'));
const rounds = Number(opt('rounds', '3'));
const threads = Number(opt('threads', '1'));
const conns = Number(opt('connections', '64'));
const outFile = opt('out', '');
const pledges = !flag('no-pledges');
const STOCK = 10_000_000;

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// Async, so that Node's event loop stays idle meanwhile and takes no CPU from the run.
async function wrk(url, env) {
  const argv = [`-t${threads}`, `-c${conns}`, `-d${seconds}s`, '--timeout', '10s', '-s', path.join(here, 'post.lua'), url];
  const { stdout, stderr } = await promisify(execFile)('wrk', argv, {
    encoding: 'utf8', env: { ...process.env, ...env }, timeout: (seconds + 30) * 1000,
  });
  if (stderr.trim()) console.error(stderr.trim());
  const m = /^RESULT (\{.*\})$/m.exec(stdout);
  if (!m) throw new Error(`wrk printed no result:\n${stdout}\n${stderr}`);
  return JSON.parse(m[1]);
}

const one = (db, sql) => sqlOn(db, sql).trim();

const server = await startServer();
const lines = [];
try {
  const BASE = `${server.baseUrl}/api/v1`;
  const admin = await loginAdmin(server.api);
  const users = await Promise.all(Array.from({ length: 8 }, () => register(server.api)));
  const tokens = users.map((u) => u.token).join(',');
  const mk = async (name) => {
    const r = await server.api.post('/api/v1/ecommerce/products', { name, price: 1000, category: 'bench', stock: STOCK }, { token: admin.token });
    if (r.status !== 201) throw new Error(r.text);
    return r.data.id;
  };
  const hot = await mk('Hot');
  const side = await mk('Side');
  const date = execFileSync('date', ['-u', '+%Y-%m-%d %H:%M UTC'], { encoding: 'utf8' }).trim();
  const kind = dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite';
  lines.push(`### ${kind} — ${date}`, '',
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), shared with other work; server, wrk (-t${threads} -c${conns}, ${seconds} s a phase) and database on the same host. Latency as wrk measures it (request written → answer read).`, '',
    '| phase | load avg before → after | answers/s (201 / 409 / other) | p50 / p90 / p99 / p99.9 / max ms | server: within 5 / 10 / 20 ms | one-row commits/s before / after (p50 / p99 ms) → ratio |',
    '|---|---|---|---|---|---|');
  let sold = 0;
  let acked = 0;
  for (let r = 1; r <= rounds; r++) {
    execFileSync('sync');
    const before = commitRate(server.db.url, 3);
    const loadBefore = load();
    const h0 = await serverHistogram(server.api, '/ecommerce/orders');
    const w = await wrk(`${BASE}/ecommerce/orders`, { BENCH_KIND: 'order', BENCH_HOT: hot, BENCH_SIDE: side, BENCH_TOKENS: tokens, BENCH_RUN: `o${r}-${Date.now()}` });
    const loadAfter = load();
    await new Promise((res) => setTimeout(res, 1000));  // wrk stops with requests in flight
    const s = within(await serverHistogram(server.api, '/ecommerce/orders'), h0);
    const after = commitRate(server.db.url, 3);
    const rate = w.s201 / w.seconds;
    acked += w.s201;
    const yard = before ? `${before.rate} / ${after.rate} (${before.p50} / ${before.p99}; ${after.p50} / ${after.p99}) → **${(rate / ((before.rate + after.rate) / 2)).toFixed(1)}×**` : '—';
    lines.push(`| orders, round ${r} | ${loadBefore} → ${loadAfter} | **${rate.toFixed(0)}** (${w.s201} / ${w.s409} / ${w.other + w.errors}) | ${w.p50} / ${w.p90} / **${w.p99}** / ${w.p999} / ${w.max} | ${s.share('0.005').toFixed(1)} / ${s.share('0.01').toFixed(1)} / ${s.share('0.02').toFixed(1)} % of ${s.all} | ${yard} |`);
    console.error(lines.at(-1));
  }
  const stock = Number(one(server.db, `SELECT stock FROM products WHERE id = '${hot}'`));
  sold = Number(one(server.db, `SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE product_id = '${hot}'`));
  const stored = Number(one(server.db, 'SELECT COUNT(*) FROM orders'));
  const checks = [`orders: hot stock ${stock} ${stock === STOCK - sold ? '=' : '≠ (BUG)'} ${STOCK} − ${sold} units in stored orders; ${stored} orders stored ${stored >= acked ? '≥' : '< (BUG)'} ${acked} acknowledged`];

  if (pledges) {
    const creator = await register(server.api, { role: 'creator' });
    const p = await server.api.post('/api/v1/crowdfunding/projects', {
      title: 'Hot project', description: 'One project every backer pledges to', goal: 1_000_000,
      deadline: new Date(Date.now() + 86400e3).toISOString(), rewards: [],
    }, { token: creator.token });
    if (p.status !== 201) throw new Error(p.text);
    let pAcked = 0;
    for (let r = 1; r <= rounds; r++) {
      execFileSync('sync');
      const loadBefore = load();
      const h0 = await serverHistogram(server.api, '/fund');
      const w = await wrk(`${BASE}/crowdfunding/projects/${p.data.id}/fund`, { BENCH_KIND: 'pledge', BENCH_TOKENS: tokens, BENCH_RUN: `p${r}-${Date.now()}` });
      const loadAfter = load();
      await new Promise((res) => setTimeout(res, 1000));
      const s = within(await serverHistogram(server.api, '/fund'), h0);
      pAcked += w.s201;
      lines.push(`| pledges to one project, round ${r} | ${loadBefore} → ${loadAfter} | **${(w.s201 / w.seconds).toFixed(0)}** (${w.s201} / ${w.s409} / ${w.other + w.errors}) | ${w.p50} / ${w.p90} / **${w.p99}** / ${w.p999} / ${w.max} | ${s.share('0.005').toFixed(1)} / ${s.share('0.01').toFixed(1)} / ${s.share('0.02').toFixed(1)} % of ${s.all} | |`);
      console.error(lines.at(-1));
    }
    const raised = Number(one(server.db, `SELECT raised FROM cf_projects WHERE id = '${p.data.id}'`));
    const sum = Number(one(server.db, `SELECT COALESCE(SUM(amount), 0) FROM cf_pledges WHERE project_id = '${p.data.id}' AND cancelled_at IS NULL`));
    const count = Number(one(server.db, `SELECT COUNT(*) FROM cf_pledges WHERE project_id = '${p.data.id}'`));
    checks.push(`pledges: raised ${raised} ${raised === sum ? '=' : '≠ (BUG)'} ${sum}, the sum of stored pledges; ${count} stored ${count >= pAcked ? '≥' : '< (BUG)'} ${pAcked} acknowledged`);
  }
  lines.push('', `Checks: ${checks.join('; ')}.`, '');
  const text = lines.join('\n');
  console.log(text);
  if (outFile) appendFileSync(outFile, text + '\n');
} catch (e) {
  console.error(`bench failed: ${e.message}`);
  console.error(server.output().slice(-3000));
  process.exitCode = 1;
} finally {
  await server.stop();
}
