// Shared set-up of the MCP tests: a server with a product, a project with a reward, a post and a
// display, one account per role, and the official MCP clients from npm (1.x: @modelcontextprotocol/sdk,
// 2.x: @modelcontextprotocol/client) connected over Streamable HTTP.
import assert from 'node:assert/strict';
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as Http1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as Client2, StreamableHTTPClientTransport as Http2 } from '@modelcontextprotocol/client';
import { standardAccounts, assertOk } from '../api/lib/fixtures.mjs';

export const TOOLS = [
  'whoami', 'search_products', 'get_product', 'list_categories', 'place_order', 'list_my_orders', 'cancel_order',
  'search_projects', 'get_project', 'back_project', 'list_my_pledges', 'search_posts', 'get_post', 'create_post',
  'add_comment', 'list_displays', 'set_display_content',
];

export async function seedPlatform(server) {
  const api = server.api;
  const accounts = await standardAccounts(api);
  const { admin, creator, user } = accounts;
  const product = assertOk(await api.post('/api/v1/ecommerce/products',
    { name: 'MCP Mug', description: 'a mug for assistants', price: 12000, category: 'kitchen', stock: 10 }, { token: admin.token }), 201);
  const deadline = new Date(Date.now() + 7 * 86400e3).toISOString();
  const project = assertOk(await api.post('/api/v1/crowdfunding/projects',
    { title: 'MCP Garden', description: 'a garden', goal: 100000, deadline, rewards: [{ title: 'Seeds', minAmount: 5000 }] },
    { token: creator.token }), 201);
  const post = assertOk(await api.post('/api/v1/forum/posts', { title: 'Hello MCP', content: 'first post' }, { token: user.token }), 201);
  const display = assertOk(await api.post('/api/v1/signage/displays', { name: 'Lobby', location: 'Hall' }, { token: admin.token }), 201).display;
  return { accounts, product, project, post, display };
}

// A 1.x client (legacy initialize handshake).
export async function connect1(server, token) {
  const client = new Client1({ name: 'o4o-test-sdk1', version: '1.0.0' });
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  await client.connect(new Http1(new URL(server.baseUrl + '/mcp'), { requestInit: { headers } }));
  return client;
}

// A 2.x client; mode 'auto' probes with server/discover and speaks 2026-07-28, 'legacy' the handshake.
export async function connect2(server, token, mode = 'auto') {
  const client = new Client2({ name: 'o4o-test-sdk2', version: '2.0.0' }, { versionNegotiation: { mode } });
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  await client.connect(new Http2(new URL(server.baseUrl + '/mcp'), { requestInit: { headers } }));
  return client;
}

// The error code of an isError tool result ("CODE: message").
export function toolError(result) {
  assert.equal(result.isError, true, `expected isError, got ${JSON.stringify(result).slice(0, 400)}`);
  return result.content[0].text.split(':')[0];
}

export function structured(result) {
  assert.notEqual(result.isError, true, `tool failed: ${result.content?.[0]?.text}`);
  assert.equal(typeof result.structuredContent, 'object');
  assert.equal(typeof result.content[0].text, 'string');
  return result.structuredContent;
}

// A raw POST to /mcp, for what no official client sends on purpose (bad headers, bad JSON).
export async function rawMcp(server, body, headers = {}) {
  const res = await fetch(server.baseUrl + '/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    // a string or a stream (sent chunked, with no length) as it is; anything else as JSON
    body: typeof body === 'string' || body instanceof ReadableStream ? body : JSON.stringify(body),
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}

export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
};
