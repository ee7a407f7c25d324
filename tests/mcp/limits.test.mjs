// The REST API's per-address rate limit covers /mcp: a tool call is one request of the same budget,
// so an assistant cannot go around the limit by calling tools instead of routes.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../api/lib/harness.mjs';
import { rawMcp } from './lib.mjs';

let server;
before(async () => { server = await startServer({ env: { O4O_RATE_LIMIT_RPS: '2' }, admin: false }); });
after(async () => { await server?.stop(); });

it('tool calls and REST requests from one address share one rate limit', async () => {
  const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_categories', arguments: {} } };
  const answers = [];
  // 2 a second with a burst of 4: ten calls at once cannot all pass
  for (let i = 0; i < 10; i++) answers.push(await rawMcp(server, call, { 'mcp-protocol-version': '2025-11-25' }));
  const passed = answers.filter((r) => r.status === 200);
  const limited = answers.filter((r) => r.status === 429);
  assert.ok(passed.length >= 1 && passed.length <= 6, `passed ${passed.length}`);
  assert.equal(passed.length + limited.length, 10);
  assert.ok(Number(limited[0].headers.get('retry-after')) >= 1);
  assert.equal(passed[0].json.result.isError, false);
  // the budget the tool calls used up is the REST API's too
  const rest = await fetch(server.baseUrl + '/api/v1/ecommerce/categories');
  assert.equal(rest.status, 429);
});
