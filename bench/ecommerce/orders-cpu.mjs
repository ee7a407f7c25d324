// CPU the server spends per order, the measure of issue 17's CPU work: on a shared 2-core
// machine the order rate swings with whatever else runs, but the o4o process's own CPU time
// (utime + stime from /proc) per acknowledged order hardly does. Starts the server (O4O_BINARY,
// else build/o4o) on a fresh database, then runs wrk with bench/ecommerce/post.lua (64 clients,
// keyed orders on one hot product) for a few short phases and prints, per phase, CPU µs per
// order, context switches per order and the rate. A/B two builds by running it alternately:
//
//   for b in /tmp/o4o-old build/o4o; do O4O_BINARY=$b node bench/ecommerce/orders-cpu.mjs; done
//   node bench/ecommerce/orders-cpu.mjs [--seconds 4] [--rounds 3] [--connections 64]
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startServer, binary, dbKind } from '../../tests/api/lib/harness.mjs';
import { register, loginAdmin } from '../../tests/api/lib/fixtures.mjs';
import { opt } from '../lib/args.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = Number(opt('seconds', '4'));
const rounds = Number(opt('rounds', '3'));
const conns = Number(opt('connections', '64'));
const TICK = 100;  // USER_HZ: /proc's clock ticks per second on Linux

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
// utime + stime of the whole process (all threads), in seconds.
const cpu = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // fields from the 3rd (state) on
  return (Number(f[11]) + Number(f[12])) / TICK;
};
// Context switches (voluntary + involuntary) summed over the process's threads.
const switches = (pid) => {
  let n = 0;
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const s = readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
      n += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(s)[1]) + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(s)[1]);
    } catch { /* a thread that ended */ }
  }
  return n;
};

async function wrk(url, env, secs) {
  const argv = ['-t1', `-c${conns}`, `-d${secs}s`, '--timeout', '10s', '-s', path.join(here, 'post.lua'), url];
  const { stdout } = await promisify(execFile)('wrk', argv, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: (secs + 30) * 1000 });
  const m = /^RESULT (\{.*\})$/m.exec(stdout);
  if (!m) throw new Error(`wrk printed no result:\n${stdout}`);
  return JSON.parse(m[1]);
}

const server = await startServer();
try {
  const pid = server.proc.pid;
  const admin = await loginAdmin(server.api);
  const users = await Promise.all(Array.from({ length: 8 }, () => register(server.api)));
  const mk = async (name) => {
    const r = await server.api.post('/api/v1/ecommerce/products', { name, price: 1000, category: 'bench', stock: 10_000_000 }, { token: admin.token });
    if (r.status !== 201) throw new Error(r.text);
    return r.data.id;
  };
  const env = { BENCH_KIND: 'order', BENCH_HOT: await mk('Hot'), BENCH_SIDE: await mk('Side'), BENCH_TOKENS: users.map((u) => u.token).join(',') };
  const url = `${server.baseUrl}/api/v1/ecommerce/orders`;
  await wrk(url, { ...env, BENCH_RUN: `warm-${Date.now()}` }, 1);
  for (let r = 1; r <= rounds; r++) {
    const l0 = load();
    const c0 = cpu(pid), s0 = switches(pid);
    const w = await wrk(url, { ...env, BENCH_RUN: `c${r}-${Date.now()}` }, seconds);
    await new Promise((res) => setTimeout(res, 300));  // requests wrk left in flight end
    const c1 = cpu(pid), s1 = switches(pid);
    const n = w.s201 || 1;
    console.log(`${path.relative(process.cwd(), binary)} ${dbKind} round ${r}: ${(1e6 * (c1 - c0) / n).toFixed(1)} CPU µs/order, ${((s1 - s0) / n).toFixed(2)} switches/order, ${(w.s201 / w.seconds).toFixed(0)} orders/s (other ${w.other + w.errors + w.s409}), p99 ${w.p99} ms, load ${l0} → ${load()}`);
  }
} finally {
  await server.stop();
}
