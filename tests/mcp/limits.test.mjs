// The REST API's per-address rate limit covers /mcp: a tool call is one request of the same budget,
// so an assistant cannot go around the limit by calling tools instead of routes.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '../api/lib/harness.mjs';
import { rawMcp } from './lib.mjs';

let server;
// 1 request a second with a burst of 2
before(async () => { server = await startServer({ env: { O4O_RATE_LIMIT_RPS: '1' }, admin: false }); });
after(async () => { await server?.stop(); });

const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_categories', arguments: {} } };
const burst = (n) => Promise.all(Array.from({ length: n }, () => rawMcp(server, call, { 'mcp-protocol-version': '2025-11-25' })));

it('tool calls are limited per address as REST requests are', async () => {
  const answers = await burst(10);
  const passed = answers.filter((r) => r.status === 200);
  const limited = answers.filter((r) => r.status === 429);
  assert.ok(passed.length >= 1 && passed.length <= 4, `passed ${passed.length}`);
  assert.equal(passed.length + limited.length, 10);
  assert.ok(Number(limited[0].headers.get('retry-after')) >= 1);
  assert.equal(passed[0].json.result.isError, false);
  // An MCP client reads a JSON-RPC error, not the REST envelope: no id (the message was not read,
  // and an MCP id is never null),
  // the contract's code in data, and the wait that Retry-After says.
  for (const r of limited) {
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.json.jsonrpc, '2.0', r.text);
    assert.equal('id' in r.json, false, r.text);
    assert.equal(r.json.success, undefined);
    assert.equal(r.json.error.code, -32000);
    assert.match(r.json.error.message, /too many requests/i);
    assert.equal(r.json.error.data.code, 'RATE_LIMITED');
    assert.equal(r.json.error.data.retryAfter, Number(r.headers.get('retry-after')));
  }
});

it('a body over the limit is a 413 with a JSON-RPC error, announced or not', async () => {
  const big = JSON.stringify({ ...call, params: { ...call.params, arguments: { pad: 'a'.repeat(2 * 1024 * 1024) } } });
  const announced = await rawMcp(server, big, { 'mcp-protocol-version': '2025-11-25', 'x-request-id': 'mcp-big-1' });
  assert.equal(announced.status, 413);
  assert.equal(announced.headers.get('connection'), 'close');
  assert.equal(announced.headers.get('x-request-id'), 'mcp-big-1');
  assert.equal(announced.json.jsonrpc, '2.0', announced.text);
  assert.equal('id' in announced.json, false, announced.text);
  assert.equal(announced.json.error.code, -32600);
  assert.equal(announced.json.error.data.code, 'PAYLOAD_TOO_LARGE');
  // Chunked, no length: refused once the limit is crossed, in the same form.
  const chunked = await rawMcp(server, new Blob([big]).stream(), { 'mcp-protocol-version': '2025-11-25' });
  assert.equal(chunked.status, 413);
  assert.equal(chunked.json.error.data.code, 'PAYLOAD_TOO_LARGE');
  assert.equal('id' in chunked.json, false, chunked.text);
});

it('the budget that tool calls use up is the REST API\'s too', async () => {
  // Right after a burst of tool calls, a REST request from the same address is refused. A slow
  // machine may refill a token between the two, so up to three tries, each after a full refill.
  const statuses = [];
  for (let attempt = 0; attempt < 3 && !statuses.includes(429); attempt++) {
    await sleep(2500);
    await burst(6);
    const rest = await fetch(server.baseUrl + '/api/v1/ecommerce/categories');
    statuses.push(rest.status);
    // the REST API's own refusal stays the REST envelope
    if (rest.status === 429) assert.equal((await rest.json()).error.code, 'RATE_LIMITED');
  }
  assert.ok(statuses.includes(429), `REST answers after bursts of tool calls: ${statuses}`);
});
