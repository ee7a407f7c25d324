// The MCP server over Streamable HTTP, driven by the official clients: tools listed and called as
// anonymous, user, creator and admin (the REST API's rules), quote then confirm (once, even in
// parallel), resources, both protocol eras, and protocol errors as JSON-RPC errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../api/lib/harness.mjs';
import { assertOk } from '../api/lib/fixtures.mjs';
import Ajv2020 from 'ajv/dist/2020.js';
import { TOOLS, seedPlatform, connect1, connect2, toolError, structured, rawMcp, MODERN_META } from './lib.mjs';

let server, data, clients;
// Every tool result any test gets, to check against the tool's outputSchema at the end.
const results = [];
function recording(client) {
  const call = client.callTool.bind(client);
  client.callTool = async (params, ...rest) => {
    const result = await call(params, ...rest);
    results.push({ name: params.name, result });
    return result;
  };
  return client;
}

before(async () => {
  server = await startServer();
  data = await seedPlatform(server);
  const { admin, creator, user } = data.accounts;
  clients = {
    anonymous: recording(await connect1(server)),
    user: recording(await connect1(server, user.token)),
    creator: recording(await connect2(server, creator.token)),
    admin: recording(await connect2(server, admin.token)),
  };
});
after(async () => {
  for (const c of Object.values(clients ?? {})) await c.close().catch(() => {});
  await server?.stop();
});

describe('tools/list', () => {
  it('lists every tool of the contract to everyone, each with schemas, a title and annotations', async () => {
    for (const client of [clients.anonymous, clients.admin]) {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name), TOOLS);
      for (const t of tools) {
        assert.ok(t.description.length > 10, t.name);
        assert.ok(t.title, t.name);
        assert.equal(t.inputSchema.type, 'object', t.name);
        assert.equal(t.outputSchema.type, 'object', t.name);
        assert.equal(typeof t.annotations.readOnlyHint, 'boolean', t.name);
      }
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      assert.equal(byName.search_products.annotations.readOnlyHint, true);
      assert.equal(byName.cancel_order.annotations.destructiveHint, true);
      assert.equal(byName.create_post.annotations.idempotentHint, false);
    }
  });
});

describe('every tool as anonymous, user, creator and admin', () => {
  it('answers what the REST API answers that caller', async () => {
    const { product, project, post, display, accounts } = data;
    const order = assertOk(await server.api.post('/api/v1/ecommerce/orders',
      { items: [{ productId: product.id, quantity: 1 }] }, { token: accounts.user.token }), 201);
    const calls = {
      whoami: {},
      search_products: { q: 'Mug' },
      get_product: { id: product.id },
      list_categories: {},
      place_order: { items: [{ productId: product.id, quantity: 1 }] },
      list_my_orders: {},
      cancel_order: { orderId: order.id },
      search_projects: { q: 'Garden' },
      get_project: { id: project.id },
      back_project: { projectId: project.id, amount: 6000 },
      list_my_pledges: {},
      search_posts: { q: 'Hello' },
      get_post: { id: post.id },
      create_post: { title: 'From an assistant', content: 'hi' },
      add_comment: { postId: post.id, content: 'a comment' },
      list_displays: {},
      set_display_content: { displayId: display.id, content: { type: 'text', value: 'Welcome' } },
    };
    const writes = ['place_order', 'list_my_orders', 'cancel_order', 'back_project', 'list_my_pledges', 'create_post', 'add_comment'];
    const adminOnly = ['list_displays', 'set_display_content'];
    // The order is the user's: cancelled by its owner, hidden from the creator, already cancelled for the admin.
    const expected = (role, tool) => {
      if (role === 'anonymous' && (writes.includes(tool) || adminOnly.includes(tool))) return 'UNAUTHORIZED';
      if (adminOnly.includes(tool) && role !== 'admin') return 'FORBIDDEN';
      if (tool === 'cancel_order') return { creator: 'NOT_FOUND', user: 'ok', admin: 'INVALID_TRANSITION' }[role];
      return 'ok';
    };
    for (const role of ['anonymous', 'creator', 'user', 'admin']) {
      for (const tool of TOOLS) {
        const result = await clients[role].callTool({ name: tool, arguments: calls[tool] });
        const want = expected(role, tool);
        if (want === 'ok') structured(result);
        else assert.equal(toolError(result), want, `${role} ${tool}: ${result.content[0].text}`);
        if (want === 'UNAUTHORIZED') assert.match(result.content[0].text, /needs a signed-in user/, tool);
      }
    }
    const who = structured(await clients.user.callTool({ name: 'whoami', arguments: {} }));
    assert.equal(who.user.id, accounts.user.user.id);
    assert.equal(who.user.password, undefined);
    assert.deepEqual(structured(await clients.anonymous.callTool({ name: 'whoami', arguments: {} })), { user: null });
    // The admin's content change is the display's, as REST shows it.
    const shown = assertOk(await server.api.get(`/api/v1/signage/displays/${display.id}`, { token: accounts.admin.token }));
    assert.equal(shown.content.value, 'Welcome');
  });

  it('answers lists as {items} and pages as the REST data', async () => {
    const cats = structured(await clients.anonymous.callTool({ name: 'list_categories', arguments: {} }));
    assert.ok(Array.isArray(cats.items) && cats.items.some((c) => c.name === 'kitchen'));
    const page = structured(await clients.anonymous.callTool({ name: 'search_products', arguments: { q: 'Mug', limit: 5 } }));
    assert.equal(page.limit, 5);
    assert.equal(page.items[0].id, data.product.id);
  });

  it('turns business and validation errors into isError results with the contract code', async () => {
    assert.equal(toolError(await clients.anonymous.callTool({ name: 'get_product', arguments: { id: '00000000-0000-4000-8000-000000000000' } })), 'NOT_FOUND');
    assert.equal(toolError(await clients.anonymous.callTool({ name: 'search_products', arguments: { limit: 1000 } })), 'VALIDATION_ERROR');
    assert.equal(toolError(await clients.user.callTool({ name: 'create_post', arguments: { title: '', content: 'x' } })), 'VALIDATION_ERROR');
    // The quote is the REST API's (POST /ecommerce/orders/quote): more than the stock is already
    // OUT_OF_STOCK there, as placing the order would be.
    const r = await clients.user.callTool({ name: 'place_order', arguments: { items: [{ productId: data.product.id, quantity: 1000 }] } });
    assert.equal(toolError(r), 'OUT_OF_STOCK');
    assert.equal(toolError(await clients.user.callTool({ name: 'place_order', arguments: { items: [] } })), 'VALIDATION_ERROR');
  });
});

describe('money-moving tools: quote, then confirm once', () => {
  it('place_order quotes without acting, and two parallel confirms make one order with stock taken once', async () => {
    const { product, accounts } = data;
    const before = assertOk(await server.api.get(`/api/v1/ecommerce/products/${product.id}`)).stock;
    const args = { items: [{ productId: product.id, quantity: 2 }] };
    const quote = structured(await clients.user.callTool({ name: 'place_order', arguments: args }));
    assert.equal(quote.total, 2 * product.price);
    assert.match(quote.quoteId, /^q1\./);
    assert.equal(assertOk(await server.api.get(`/api/v1/ecommerce/products/${product.id}`)).stock, before, 'a quote changes nothing');

    const confirm = () => clients.user.callTool({ name: 'place_order', arguments: { ...args, confirm: true, quoteId: quote.quoteId } });
    const [a, b] = (await Promise.all([confirm(), confirm()])).map(structured);
    assert.equal(a.id, b.id);
    assert.equal(a.total, 2 * product.price);
    assert.deepEqual(a.items, quote.items, 'the quote\'s lines are the order\'s');
    assert.equal(quote.currency, assertOk(await server.api.get('/api/v1/config')).currency);
    assert.equal(a.status, 'pending');
    assert.match(a.payUrl, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/me/orders/${a.id}$`));
    const again = structured(await confirm());
    assert.equal(again.id, a.id);
    assert.equal(assertOk(await server.api.get(`/api/v1/ecommerce/products/${product.id}`)).stock, before - 2);
    const mine = assertOk(await server.api.get('/api/v1/ecommerce/orders', { token: accounts.user.token }));
    assert.equal(mine.items.filter((o) => o.id === a.id).length, 1);
  });

  it('a confirm needs the quote of the same arguments and the same user', async () => {
    const { product } = data;
    const args = { items: [{ productId: product.id, quantity: 1 }] };
    const quote = structured(await clients.user.callTool({ name: 'place_order', arguments: args }));
    const changed = await clients.user.callTool({ name: 'place_order', arguments: { items: [{ productId: product.id, quantity: 3 }], confirm: true, quoteId: quote.quoteId } });
    assert.equal(toolError(changed), 'VALIDATION_ERROR');
    const other = await clients.creator.callTool({ name: 'place_order', arguments: { ...args, confirm: true, quoteId: quote.quoteId } });
    assert.equal(toolError(other), 'VALIDATION_ERROR');
    const none = await clients.user.callTool({ name: 'place_order', arguments: { ...args, confirm: true } });
    assert.equal(toolError(none), 'VALIDATION_ERROR');
  });

  it('a quote whose prices changed cannot be confirmed: nothing is ordered and a new quote is needed', async () => {
    const { accounts } = data;
    const admin = { token: accounts.admin.token };
    const product = assertOk(await server.api.post('/api/v1/ecommerce/products',
      { name: 'Repriced Kettle', description: 'its price moves', price: 30000, category: 'kitchen', stock: 5 }, admin), 201);
    const args = { items: [{ productId: product.id, quantity: 1 }] };
    const quote = structured(await clients.user.callTool({ name: 'place_order', arguments: args }));
    assert.equal(quote.total, 30000);
    assertOk(await server.api.put(`/api/v1/ecommerce/products/${product.id}`, { price: 45000 }, admin));
    const stale = await clients.user.callTool({ name: 'place_order', arguments: { ...args, confirm: true, quoteId: quote.quoteId } });
    assert.equal(toolError(stale), 'VALIDATION_ERROR');
    assert.match(stale.content[0].text, /current prices/);
    assert.equal(assertOk(await server.api.get(`/api/v1/ecommerce/products/${product.id}`)).stock, 5);
    const fresh = structured(await clients.user.callTool({ name: 'place_order', arguments: args }));
    assert.equal(fresh.total, 45000);
    const order = structured(await clients.user.callTool({ name: 'place_order', arguments: { ...args, confirm: true, quoteId: fresh.quoteId } }));
    assert.equal(order.total, 45000);
  });

  it('a repeated confirm returns the same order even once the stock it took is gone', async () => {
    const admin = { token: data.accounts.admin.token };
    const product = assertOk(await server.api.post('/api/v1/ecommerce/products',
      { name: 'Last Teapot', description: 'only one', price: 52000, category: 'kitchen', stock: 1 }, admin), 201);
    const args = { items: [{ productId: product.id, quantity: 1 }] };
    const quote = structured(await clients.user.callTool({ name: 'place_order', arguments: args }));
    const confirm = () => clients.user.callTool({ name: 'place_order', arguments: { ...args, confirm: true, quoteId: quote.quoteId } });
    const first = structured(await confirm());
    assert.equal(assertOk(await server.api.get(`/api/v1/ecommerce/products/${product.id}`)).stock, 0);
    // A new quote for it is refused now, but the confirmed one still answers its order.
    assert.equal(toolError(await clients.user.callTool({ name: 'place_order', arguments: args })), 'OUT_OF_STOCK');
    assert.equal(structured(await confirm()).id, first.id);
  });

  it('back_project quotes the pledge, then pledges once and answers payUrl', async () => {
    const { project, accounts } = data;
    const reward = project.rewards[0];
    const args = { projectId: project.id, amount: 7000, rewardId: reward.id };
    const quote = structured(await clients.creator.callTool({ name: 'back_project', arguments: args }));
    assert.equal(quote.total, 7000);
    assert.equal(quote.reward.id, reward.id);
    const before = assertOk(await server.api.get(`/api/v1/crowdfunding/projects/${project.id}`)).raised;
    const confirm = () => clients.creator.callTool({ name: 'back_project', arguments: { ...args, confirm: true, quoteId: quote.quoteId } });
    const [a, b] = (await Promise.all([confirm(), confirm()])).map(structured);
    assert.equal(a.pledge.id, b.pledge.id);
    assert.equal(a.pledge.amount, 7000);
    assert.match(a.payUrl, /\/me\/pledges$/);
    assert.equal(assertOk(await server.api.get(`/api/v1/crowdfunding/projects/${project.id}`)).raised, before + 7000);
    const pledges = assertOk(await server.api.get('/api/v1/crowdfunding/pledges', { token: accounts.creator.token }));
    assert.equal(pledges.items.filter((p) => p.id === a.pledge.id).length, 1);
  });
});

describe('resources', () => {
  it('lists the URI templates and reads products, projects and posts as JSON', async () => {
    for (const client of [clients.anonymous, clients.admin]) {
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(),
        ['o4o://forum/posts/{id}', 'o4o://products/{id}', 'o4o://projects/{id}']);
      for (const [uri, id] of [[`o4o://products/${data.product.id}`, data.product.id], [`o4o://projects/${data.project.id}`, data.project.id],
        [`o4o://forum/posts/${data.post.id}`, data.post.id]]) {
        const { contents } = await client.readResource({ uri });
        assert.equal(contents[0].mimeType, 'application/json');
        assert.equal(JSON.parse(contents[0].text).id, id);
      }
    }
    await assert.rejects(clients.anonymous.readResource({ uri: 'o4o://products/nope' }), (e) => e.code === -32002);
    await assert.rejects(clients.admin.readResource({ uri: 'o4o://products/nope' }), (e) => e.code === -32602);
  });
});

describe('protocol', () => {
  it('the 2.x client speaks 2026-07-28 after server/discover, and the legacy handshake when asked', async () => {
    assert.equal(clients.admin.getProtocolEra(), 'modern');
    const legacy = await connect2(server, undefined, 'legacy');
    try {
      assert.equal(legacy.getProtocolEra(), 'legacy');
      assert.equal((await legacy.listTools()).tools.length, TOOLS.length);
    } finally { await legacy.close(); }
    assert.equal(clients.user.getServerVersion().name, 'o4o');
  });

  it('initialize answers the newest version it shares with the client', async () => {
    for (const [asked, answered] of [['2025-06-18', '2025-06-18'], ['2025-11-25', '2025-11-25'], ['2024-11-05', '2025-11-25']]) {
      const r = await rawMcp(server, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: asked, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
      assert.equal(r.status, 200);
      assert.equal(r.json.result.protocolVersion, answered);
    }
  });

  it('server/discover lists the versions, capabilities and identity', async () => {
    const r = await rawMcp(server, { jsonrpc: '2.0', id: 'd', method: 'server/discover', params: { _meta: MODERN_META } },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.result.supportedVersions, ['2026-07-28', '2025-11-25', '2025-06-18']);
    assert.ok(r.json.result.capabilities.tools);
    assert.equal(r.json.result.resultType, 'complete');
    assert.equal(r.json.result._meta['io.modelcontextprotocol/serverInfo'].name, 'o4o');
  });

  it('checks Mcp-Method, Mcp-Name and MCP-Protocol-Version against the body (2026-07-28)', async () => {
    const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'whoami', arguments: {}, _meta: MODERN_META } };
    const good = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'whoami' };
    assert.equal((await rawMcp(server, call, good)).status, 200);
    assert.equal((await rawMcp(server, call, { ...good, 'mcp-name': '=?base64?' + Buffer.from('whoami').toString('base64') + '?=' })).status, 200);
    for (const bad of [{ ...good, 'mcp-name': 'get_product' }, { ...good, 'mcp-method': 'tools/list' }, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' },
      { ...good, 'mcp-protocol-version': '2025-11-25' }]) {
      const r = await rawMcp(server, call, bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.json.error.code, -32020);
    }
    const future = { ...call, params: { ...call.params, _meta: { ...MODERN_META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } };
    const r = await rawMcp(server, future, { ...good, 'mcp-protocol-version': '2099-01-01' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, -32022);
    assert.equal(r.json.error.data.requested, '2099-01-01');
    assert.ok(r.json.error.data.supported.includes('2026-07-28'));
    const unknown = await rawMcp(server, { jsonrpc: '2.0', id: 8, method: 'nope/nothing', params: { _meta: MODERN_META } },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'nope/nothing' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, -32601);
  });

  it('a 2026-07-28 request without its _meta fields is 400 Invalid params; removed methods are 404 there', async () => {
    const headers = (method) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': method });
    const { 'io.modelcontextprotocol/protocolVersion': _v, ...noVersion } = MODERN_META;
    const { 'io.modelcontextprotocol/clientCapabilities': _c, ...noCaps } = MODERN_META;
    for (const [method, params] of [['tools/list', {}], ['server/discover', {}], ['server/discover', { _meta: noVersion }],
      ['tools/list', { _meta: noCaps }]]) {
      const r = await rawMcp(server, { jsonrpc: '2.0', id: 11, method, params }, headers(method));
      assert.equal(r.status, 400, `${method} ${JSON.stringify(params)}`);
      assert.equal(r.json.error.code, -32602);
      assert.equal(r.json.id, 11);
    }
    // initialize and ping belong to the legacy era only
    for (const method of ['initialize', 'ping', 'logging/setLevel']) {
      const r = await rawMcp(server, { jsonrpc: '2.0', id: 12, method, params: { _meta: MODERN_META } }, headers(method));
      assert.equal(r.status, 404, method);
      assert.equal(r.json.error.code, -32601);
    }
    // a header naming a version of neither era: UnsupportedProtocolVersionError with ours
    const r = await rawMcp(server, { jsonrpc: '2.0', id: 13, method: 'tools/list' }, { 'mcp-protocol-version': '2099-01-01' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, -32022);
    assert.deepEqual(r.json.error.data, { supported: ['2026-07-28', '2025-11-25', '2025-06-18'], requested: '2099-01-01' });
    // a legacy header with a stray _meta stays legacy traffic
    const legacy = await rawMcp(server, { jsonrpc: '2.0', id: 14, method: 'tools/list', params: { _meta: { progressToken: 1 } } },
      { 'mcp-protocol-version': '2025-11-25' });
    assert.equal(legacy.status, 200);
    assert.ok(Array.isArray(legacy.json.result.tools));
  });

  it('answers protocol errors as JSON-RPC errors, never 500', async () => {
    const parse = await rawMcp(server, '{"jsonrpc":"2.0", oops');
    assert.equal(parse.status, 400);
    assert.equal(parse.json.error.code, -32700);
    // An id that could not be read is left out: MCP ids are never null (basic/index).
    assert.equal('id' in parse.json, false, parse.text);
    const batch = await rawMcp(server, [{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    assert.equal(batch.json.error.code, -32600);
    assert.equal('id' in batch.json, false, batch.text);
    const nullId = await rawMcp(server, { jsonrpc: '2.0', id: null, method: 'tools/list' });
    assert.equal(nullId.status, 400);
    assert.equal(nullId.json.error.code, -32600);
    assert.equal('id' in nullId.json, false, nullId.text);
    const unknown = await rawMcp(server, { jsonrpc: '2.0', id: 2, method: 'no/such' }, { 'mcp-protocol-version': '2025-11-25' });
    assert.equal(unknown.json.error.code, -32601);
    const badParams = await rawMcp(server, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { arguments: {} } }, { 'mcp-protocol-version': '2025-11-25' });
    assert.equal(badParams.json.error.code, -32602);
    await assert.rejects(clients.user.callTool({ name: 'no_such_tool', arguments: {} }), (e) => e.code === -32602);
    const ping = await rawMcp(server, { jsonrpc: '2.0', id: 4, method: 'ping' }, { 'mcp-protocol-version': '2025-06-18' });
    assert.deepEqual(ping.json.result, {});
    const badVersion = await rawMcp(server, { jsonrpc: '2.0', id: 5, method: 'tools/list' }, { 'mcp-protocol-version': '1999-01-01' });
    assert.equal(badVersion.status, 400);
  });

  it('odd messages in either era are JSON-RPC errors with a 4xx or a 200, never a 5xx', async () => {
    const modern = (method) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': method });
    const cases = [
      ['{}', {}], ['[]', {}], ['null', {}], ['"x"', {}], ['{"jsonrpc":"2.0","id":{},"method":"ping"}', {}],
      ['{"jsonrpc":"1.0","id":1,"method":"ping"}', {}], ['{"jsonrpc":"2.0","id":1,"method":7}', {}],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}', {}],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":7}}', {}],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_product","arguments":"x"}}', {}],
      ['{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":7}}', {}],
      ['{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"o4o://products/a/b"}}', {}],
      ['{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":7}}', {}],
      [`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":7}}}`, modern('tools/list')],
      [`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":[]}}`, modern('tools/list')],
      [`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","_meta":${JSON.stringify(MODERN_META)}}}`, { ...modern('tools/call'), 'mcp-name': '=?base64?%%%?=' }],
      ['[' .repeat(5000), {}],
    ];
    for (const [body, headers] of cases) {
      const r = await rawMcp(server, body, headers);
      assert.ok(r.status < 500, `${r.status} for ${body.slice(0, 80)}`);
      if (r.status !== 200 || r.json?.error) assert.equal(typeof r.json?.error?.code, 'number', `${r.status} ${r.text.slice(0, 200)} for ${body.slice(0, 80)}`);
      if (r.json?.error && 'id' in r.json) assert.ok(['string', 'number'].includes(typeof r.json.id), `id ${r.text.slice(0, 200)}`);
    }
    // tool arguments of the wrong shape are the tool's validation errors, for the model to correct
    for (const args of [{ id: 7 }, { id: '' }, { id: 'a/b' }]) {
      const r = await clients.anonymous.callTool({ name: 'get_product', arguments: args });
      assert.ok(['VALIDATION_ERROR', 'NOT_FOUND'].includes(toolError(r)), JSON.stringify(args));
    }
  });

  it('notifications are 202 without a body; GET and DELETE are 405; JSON only', async () => {
    const n = await rawMcp(server, { jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(n.status, 202);
    assert.equal(n.text, '');
    for (const method of ['GET', 'DELETE']) {
      const r = await fetch(server.baseUrl + '/mcp', { method, headers: { accept: 'text/event-stream' } });
      assert.equal(r.status, 405);
      assert.equal(r.headers.get('allow'), 'POST');
    }
    const text = await rawMcp(server, 'x', { 'content-type': 'text/plain' });
    assert.equal(text.status, 415);
    // a client listing only one of the two media types is served
    const one = await rawMcp(server, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { accept: 'application/json' });
    assert.equal(one.status, 200);
    const sse = await rawMcp(server, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { accept: 'text/event-stream' });
    assert.equal(sse.status, 200);
    assert.match(sse.headers.get('content-type'), /^application\/json/);
  });

  it('refuses foreign Origins and Hosts (DNS rebinding); loopback ones pass', async () => {
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const evil = await rawMcp(server, list, { origin: 'http://evil.example' });
    assert.equal(evil.status, 403);
    // the body MAY be a JSON-RPC error response that has no id (streamable-http, Security)
    assert.equal(evil.json.jsonrpc, '2.0');
    assert.equal(typeof evil.json.error.code, 'number');
    assert.equal('id' in evil.json, false, evil.text);
    assert.equal((await rawMcp(server, list, { origin: 'null' })).status, 403);
    assert.equal((await rawMcp(server, list, { origin: `http://localhost:${server.port}` })).status, 200);
    assert.equal((await rawMcp(server, list, { origin: `http://127.0.0.1:${server.port}` })).status, 200);
    // fetch cannot set Host; a raw request can
    const net = await import('node:net');
    const status = await new Promise((resolve, reject) => {
      const body = JSON.stringify(list);
      const s = net.connect(server.port, '127.0.0.1', () => s.write(`POST /mcp HTTP/1.1\r\nHost: evil.example:${server.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
      let out = '';
      s.on('data', (d) => { out += d; });
      s.on('end', () => resolve(Number(out.split(' ')[1])));
      s.on('error', reject);
    });
    assert.equal(status, 403);
  });

  it('a token that is present must be valid: 401 with WWW-Authenticate otherwise', async () => {
    const r = await rawMcp(server, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: 'Bearer nope' });
    assert.equal(r.status, 401);
    // RFC 6750 section 3 (OAuth 2.1 section 5.3, where the MCP authorization spec points): a bearer
    // token that fails is invalid_token
    assert.equal(r.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.equal(r.json.error.code, -32600);
    assert.equal('id' in r.json, false, r.text);
    // a real user's token with its signature changed is as invalid
    const forged = await rawMcp(server, { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { authorization: `Bearer ${data.accounts.user.token.split('.').slice(0, 2).join('.')}.x` });
    assert.equal(forged.status, 401);
    assert.equal(forged.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    // another scheme is no bearer credential: the bare challenge
    const basic = await rawMcp(server, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, { authorization: 'Basic dTpw' });
    assert.equal(basic.status, 401);
    assert.equal(basic.headers.get('www-authenticate'), 'Bearer');
  });

  it('/metrics counts tool calls by tool and outcome', async () => {
    const text = await (await fetch(server.baseUrl + '/metrics')).text();
    assert.match(text, /o4o_mcp_tool_calls_total\{tool="search_products",outcome="ok"\} \d+/);
    assert.match(text, /o4o_mcp_tool_calls_total\{tool="list_displays",outcome="forbidden"\} \d+/);
  });

  it('never writes a token into the logs or a tool result', async () => {
    const { user } = data.accounts;
    const r = await clients.user.callTool({ name: 'whoami', arguments: {} });
    assert.ok(!JSON.stringify(r).includes(user.token));
    assert.ok(!server.output().includes(user.token));
  });
});

describe('schemas (last: checks what every test above received)', () => {
  it('every inputSchema and outputSchema is valid JSON Schema 2020-12, and every structuredContent matches its tool\'s outputSchema', async () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const { tools } = await clients.anonymous.listTools();
    const output = {};
    for (const t of tools) {
      for (const [which, schema] of [['inputSchema', t.inputSchema], ['outputSchema', t.outputSchema]])
        assert.ok(ajv.validateSchema(schema), `${t.name} ${which}: ${ajv.errorsText(ajv.errors)}`);
      ajv.compile(t.inputSchema);
      output[t.name] = ajv.compile(t.outputSchema);
    }
    const checked = new Set();
    for (const { name, result } of results) {
      if (result.isError) {
        assert.equal(result.structuredContent, undefined, name);
        continue;
      }
      const validate = output[name];
      assert.ok(validate(result.structuredContent), `${name}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(result.structuredContent).slice(0, 300)}`);
      // the text block carries the same data (2025-11-25 server/tools#structured-content)
      assert.ok(result.content[0].text.endsWith(JSON.stringify(sortKeys(result.structuredContent))), name);
      checked.add(name);
    }
    assert.deepEqual([...checked].sort(), [...TOOLS].sort(), 'every tool answered at least once');
  });
});

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
