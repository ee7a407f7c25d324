// Uploads a JPEG to POST /api/v1/media: N one after another, then N in batches of 8 at once,
// and reads the server's VmHWM (peak resident memory) from /proc. Prints Markdown.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../tests/api/lib/harness.mjs';
import { register } from '../../tests/api/lib/fixtures.mjs';

const [file, nArg] = process.argv.slice(2);
const n = Number(nArg || 40);
const bytes = readFileSync(file);
const mediaDir = mkdtempSync(path.join(tmpdir(), 'o4o-bench-media-'));
const server = await startServer({ env: { O4O_MEDIA_DIR: mediaDir, O4O_UPLOADS_PER_HOUR: '0', O4O_ACCESS_LOG: '0' } });
const user = await register(server.api);
const status = () => readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
const kb = (field) => Number(status().match(new RegExp(`${field}:\\s+(\\d+)`))[1]);

async function upload() {
  const fd = new FormData();
  fd.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
  const r = await fetch(server.baseUrl + '/api/v1/media', { method: 'POST', body: fd, headers: { authorization: `Bearer ${user.token}` } });
  await r.arrayBuffer();
  if (r.status !== 201) throw new Error(`upload answered ${r.status}`);
}

try {
  const idle = kb('VmRSS');
  await upload();  // warm up
  let t = performance.now();
  for (let i = 0; i < n; i++) await upload();
  const serial = n / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < n; i += 8) await Promise.all(Array.from({ length: Math.min(8, n - i) }, upload));
  const parallel = n / ((performance.now() - t) / 1000);
  const peak = kb('VmHWM');
  console.log(`### Media uploads (${(bytes.length / 1e6).toFixed(1)} MB JPEG, 3000 x 2000, SQLite)\n`);
  console.log('| measure | result |\n|---|---|');
  console.log(`| uploads/s, one at a time (${n}) | ${serial.toFixed(2)} |`);
  console.log(`| uploads/s, 8 at once (${n}) | ${parallel.toFixed(2)} |`);
  console.log(`| RSS idle → peak (VmHWM) over the run | ${(idle / 1024).toFixed(1)} MB → ${(peak / 1024).toFixed(1)} MB |`);
} finally {
  await server.stop();
  rmSync(mediaDir, { recursive: true, force: true });
}
