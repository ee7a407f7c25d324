// Signage stream benchmark: memory and thread count of the server with 0, 1 and 1,000 open SSE
// streams, and the time from an API write (PUT /content) to the event's receipt, p50/p99, with
// one stream and with 1,000 streams on one display. Starts its own server on loopback (SQLite by
// default, O4O_TEST_DB=postgres for PostgreSQL) with the rate limit off; bounded in time.
//   O4O_BINARY=build/o4o node bench/signage/stream_bench.mjs [--out bench/results/signage.md]
import http from 'node:http';
import net from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { startServer, dbKind } from '../../tests/api/lib/harness.mjs';
import { loginAdmin } from '../../tests/api/lib/fixtures.mjs';

const BASE = '/api/v1/signage/displays';
const STREAMS = 1000;
const WRITES_ONE = 200;   // sequential writes measured with one stream
const WRITES_MANY = 20;   // sequential writes measured with 1,000 streams
const UNREAD = 200;        // streams that never read (issue 19)
const UNREAD_WRITES = 80;  // changes of ~99 KB each while they do not read
const DEADLINE = Date.now() + 150000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A minimal SSE client: calls onEvent(contentVersion, receivedAtNs) for every content event.
function openStream(baseUrl, id, token, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${BASE}/${id}/stream`, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`stream answered ${res.statusCode}`)); return; }
      res.setEncoding('utf8');
      let buf = '';
      let first = true;
      res.on('data', (chunk) => {
        buf += chunk;
        let cut;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const at = process.hrtime.bigint();
          const version = JSON.parse(data.slice(6)).contentVersion;
          if (first) { first = false; resolve({ close: () => req.destroy() }); }
          onEvent(version, at);
        }
      });
    });
    req.on('error', reject);
  });
}

function procStatus(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { threads: Number(/^Threads:\s+(\d+)/m.exec(s)[1]), rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(s)[1]) };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (ns) => (Number(ns) / 1e6).toFixed(2);

// Sequential writes; for each, waits until every stream saw the new version and records, per
// stream, the time from sending the PUT to receiving the event.
async function measureWrites(api, admin, display, waiters, writes) {
  const latencies = [];
  let version = (await api.get(`${BASE}/${display}`, { token: admin.token })).data.contentVersion;
  for (let i = 0; i < writes && Date.now() < DEADLINE; i++) {
    version += 1;
    const target = version;
    const got = waiters.map((w) => new Promise((resolve) => { w.want = target; w.resolve = resolve; }));
    const t0 = process.hrtime.bigint();
    const r = await api.put(`${BASE}/${display}/content`, { type: 'text', value: `write ${i}` }, { token: admin.token });
    if (r.status !== 200) throw new Error(`PUT answered ${r.status}`);
    const times = await Promise.all(got);
    for (const t of times) latencies.push(t - t0);
  }
  latencies.sort((a, b) => (a < b ? -1 : 1));
  return { count: latencies.length, p50: ms(percentile(latencies, 50)), p99: ms(percentile(latencies, 99)), max: ms(latencies.at(-1)) };
}

function waiter() {
  const w = { want: Infinity, resolve: null };
  w.onEvent = (version, at) => { if (version >= w.want && w.resolve) { const r = w.resolve; w.resolve = null; r(at); } };
  return w;
}

async function main() {
  const outArg = process.argv.indexOf('--out');
  const out = outArg > 0 ? process.argv[outArg + 1] : null;
  const server = await startServer({ env: { O4O_RATE_LIMIT_RPS: '0', O4O_LOG_LEVEL: 'warn', O4O_STREAMS_PER_DISPLAY: '100000' } });
  const streams = [];
  try {
    const { api } = server;
    const admin = await loginAdmin(api);
    const created = (await api.post(BASE, { name: 'Bench', location: 'Lab' }, { token: admin.token })).data;
    const id = created.display.id;
    const pid = server.proc.pid;
    await sleep(300);
    const idle = procStatus(pid);

    const w1 = waiter();
    streams.push(await openStream(server.baseUrl, id, created.deviceToken, w1.onEvent));
    await sleep(300);
    const one = procStatus(pid);
    const oneStream = await measureWrites(api, admin, id, [w1], WRITES_ONE);

    const waiters = [w1];
    const openStart = Date.now();
    for (let batch = 0; streams.length < STREAMS; batch++) {
      const n = Math.min(100, STREAMS - streams.length);
      const more = await Promise.all(Array.from({ length: n }, () => {
        const w = waiter();
        waiters.push(w);
        return openStream(server.baseUrl, id, created.deviceToken, w.onEvent);
      }));
      streams.push(...more);
    }
    const openMs = Date.now() - openStart;
    await sleep(500);
    const many = procStatus(pid);
    const manyStreams = await measureWrites(api, admin, id, waiters, WRITES_MANY);
    const after = procStatus(pid);
    for (const s of streams.splice(0)) s.close();

    // Unread streams (issue 19): clients that open a stream and never read it. A queue per stream
    // would grow by every change for each of them (the attack: 1,000 such streams and 20 changes
    // took 800 MB); a display needs only the newest state, so the events coalesce and memory
    // stays flat. 200 streams x 80 changes of 99 KB would be 1.5 GB queued.
    const quiet = (await api.post(BASE, { name: 'Unread', location: 'Lab' }, { token: admin.token })).data;
    const unread = [];
    for (let i = 0; i < UNREAD; i++) {
      const sock = net.connect(server.port, '127.0.0.1');
      sock.on('error', () => {});
      sock.write(`GET ${BASE}/${quiet.display.id}/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${quiet.deviceToken}\r\n\r\n`);
      sock.pause();
      unread.push(sock);
    }
    await sleep(1000);
    const beforeUnread = procStatus(pid);
    let peakUnread = beforeUnread.rssKb;
    const checkpoints = [];
    for (let i = 0; i < UNREAD_WRITES; i++) {
      if (i === 10 || i === 40) { await sleep(1500); checkpoints.push([i, procStatus(pid)]); }
      const r = await api.put(`${BASE}/${quiet.display.id}/content`, { type: 'text', value: `${i} `.padEnd(99000, 'x') }, { token: admin.token });
      if (r.status !== 200) throw new Error(`PUT answered ${r.status}`);
      await sleep(50);
      peakUnread = Math.max(peakUnread, procStatus(pid).rssKb);
    }
    await sleep(1500);
    const afterUnread = procStatus(pid);
    peakUnread = Math.max(peakUnread, afterUnread.rssKb);
    for (const sock of unread) sock.destroy();

    const cpu = execSync("lscpu | grep 'Model name' | sed 's/Model name: *//'").toString().trim();
    const lines = [
      '# Signage streams benchmark',
      '',
      `Date: ${execSync('date').toString().trim()}. Machine: ${cpu}, 2 cores shared with other work. ` +
        `Database: ${dbKind}. Server: one \`o4o serve\` (release build) on loopback, rate limit off; ` +
        'client: Node 20 on the same machine (`bench/signage/stream_bench.mjs`).',
      '',
      '## Memory and threads',
      '',
      '| open streams | server threads | server RSS |',
      '|---:|---:|---:|',
      `| 0 | ${idle.threads} | ${(idle.rssKb / 1024).toFixed(1)} MiB |`,
      `| 1 | ${one.threads} | ${(one.rssKb / 1024).toFixed(1)} MiB |`,
      `| ${STREAMS} | ${many.threads} | ${(many.rssKb / 1024).toFixed(1)} MiB |`,
      `| ${STREAMS}, after ${manyStreams.count / STREAMS} writes fanned out | ${after.threads} | ${(after.rssKb / 1024).toFixed(1)} MiB |`,
      '',
      `About ${(((many.rssKb - one.rssKb) / (STREAMS - 1))).toFixed(1)} KiB of server memory per open stream; ` +
        `opening ${STREAMS - 1} streams in batches of 100 took ${openMs} ms.`,
      '',
      `## ${UNREAD} streams that never read, ${UNREAD_WRITES} changes of 99 KB`,
      '',
      '| | server RSS |',
      '|---|---:|',
      `| ${UNREAD} unread streams open | ${(beforeUnread.rssKb / 1024).toFixed(1)} MiB |`,
      ...checkpoints.map(([n, st]) => `| after ${n} changes | ${(st.rssKb / 1024).toFixed(1)} MiB |`),
      `| after ${UNREAD_WRITES} changes | ${(afterUnread.rssKb / 1024).toFixed(1)} MiB |`,
      `| highest while they were made | ${(peakUnread / 1024).toFixed(1)} MiB |`,
      '',
      `Queued per stream, the changes would have been ${((UNREAD * UNREAD_WRITES * 99000) / 1048576).toFixed(0)} MiB; ` +
        'coalesced, each stream holds the event being written (stuck behind the full socket) and the newest ' +
        'state (an event carries `content` and `activeContent`, so about 2 x 99 KB each), whatever the number of changes.',
      '',
      '## Time from an API write to the event (PUT /content sent → `event: content` received)',
      '',
      '| streams on the display | writes | events measured | p50 | p99 | max |',
      '|---:|---:|---:|---:|---:|---:|',
      `| 1 | ${oneStream.count} | ${oneStream.count} | ${oneStream.p50} ms | ${oneStream.p99} ms | ${oneStream.max} ms |`,
      `| ${STREAMS} | ${manyStreams.count / STREAMS} | ${manyStreams.count} | ${manyStreams.p50} ms | ${manyStreams.p99} ms | ${manyStreams.max} ms |`,
      '',
      'The write commits, publishes "display changed" on the pub/sub topic, and the signage background',
      'thread (one per process) reloads the display once and queues the event on every local stream;',
      'the HTTP sessions (coroutines on the IO threads) write it out. With 1,000 streams the time',
      'includes the fan-out and the Node client parsing 1,000 responses on one thread.',
      '',
    ];
    const text = lines.join('\n');
    console.log(text);
    if (out) writeFileSync(out, text);
  } finally {
    for (const s of streams) s.close();
    await server.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
