// MCP benchmark: tool calls per second of search_products over Streamable HTTP (POST /mcp, both
// protocol eras) beside the REST endpoint it adapts (GET /api/v1/ecommerce/products), with wrk
// (-t2 -c64) on loopback. Starts its own server with a fresh database (O4O_TEST_DB=postgres for
// PostgreSQL), 60 products and the rate limit off; bounded in time.
//
//   node bench/mcp/bench.mjs [--seconds 10] [--out FILE]
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, dbKind } from '../../tests/api/lib/harness.mjs';
import { loginAdmin } from '../../tests/api/lib/fixtures.mjs';
import { opt } from '../lib/args.mjs';

const seconds = Number(opt('seconds', '10'));
const outFile = opt('out', '');
const dir = mkdtempSync(path.join(os.tmpdir(), 'o4o-bench-mcp-'));

function wrk(url, secs, script) {
  const a = ['-t2', '-c64', `-d${secs}s`, '--latency'];
  if (script) a.push('-s', script);
  const out = execFileSync('wrk', [...a, url], { encoding: 'utf8', timeout: (secs + 30) * 1000 });
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50: /50%\s+([\d.]+\w+)/.exec(out)?.[1] ?? '?',
    p99: /99%\s+([\d.]+\w+)/.exec(out)?.[1] ?? '?',
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
  };
}

// A wrk script that POSTs one JSON-RPC message with the given headers.
function postScript(name, body, headers) {
  const file = path.join(dir, `${name}.lua`);
  const lua = [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(JSON.stringify(body))}`,
    ...Object.entries({ 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers })
      .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
  ].join('\n');
  writeFileSync(file, lua + '\n');
  return file;
}

const server = await startServer({ env: { O4O_ACCESS_LOG: '0' } });
try {
  const admin = await loginAdmin(server.api);
  for (let i = 0; i < 60; i++) {
    const r = await server.api.post('/api/v1/ecommerce/products', {
      name: `${i % 3 === 0 ? 'Mug' : 'Plate'} ${i}`, description: 'stoneware for the bench', price: 1000 + i, category: i % 2 ? 'kitchen' : 'home', stock: 100,
    }, { token: admin.token });
    if (r.status !== 201) throw new Error(`seed: ${r.text}`);
  }
  const query = { q: 'mug', limit: 20 };
  const restUrl = `${server.baseUrl}/api/v1/ecommerce/products?q=mug&limit=20`;
  const legacyBody = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_products', arguments: query } };
  const modernBody = {
    jsonrpc: '2.0', id: 1, method: 'tools/call',
    params: { name: 'search_products', arguments: query, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
  };
  const legacyHeaders = { 'MCP-Protocol-Version': '2025-11-25' };
  const modernHeaders = { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'search_products' };

  // Each request is checked once before it is measured.
  const rest = await server.api.get('/api/v1/ecommerce/products?q=mug&limit=20');
  const check = await fetch(server.baseUrl + '/mcp', { method: 'POST', headers: { 'content-type': 'application/json', ...modernHeaders }, body: JSON.stringify(modernBody) });
  const checked = await check.json();
  if (rest.status !== 200 || checked.result?.isError !== false || checked.result.structuredContent.total !== rest.data.total)
    throw new Error('the MCP answer is not the REST answer');

  const r1 = wrk(restUrl, seconds);
  const r2 = wrk(`${server.baseUrl}/mcp`, seconds, postScript('legacy', legacyBody, legacyHeaders));
  const r3 = wrk(`${server.baseUrl}/mcp`, seconds, postScript('modern', modernBody, modernHeaders));
  const line = (what, r) => `| ${what} | **${r.rps.toFixed(0)} req/s** | ${r.p50} | ${r.p99} | ${r.non2xx} |`;
  const md = [
    `### MCP: search_products (${dbKind}, ${os.cpus().length} cores, wrk -t2 -c64, ${seconds} s each, ${rest.data.total} of 60 products match, 20 a page)`,
    '',
    '| request | rate | p50 | p99 | non-2xx |',
    '|---|---|---|---|---|',
    line('REST `GET /api/v1/ecommerce/products?q=mug&limit=20`', r1),
    line('MCP `tools/call search_products` (2025-11-25, after initialize)', r2),
    line('MCP `tools/call search_products` (2026-07-28, _meta + Mcp-* headers)', r3),
    '',
    `MCP/REST: ${(r2.rps / r1.rps).toFixed(2)} (legacy), ${(r3.rps / r1.rps).toFixed(2)} (modern).`,
    '',
  ].join('\n');
  console.log(md);
  if (outFile) appendFileSync(outFile, md + '\n');
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
