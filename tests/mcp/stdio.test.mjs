// `o4o mcp --url URL --token T` over stdio, driven by the official clients' stdio transports: it
// forwards every message to the running server's /mcp, so tools act there (a write made through
// stdio is visible over REST), in both eras.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as Stdio1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as Client2, ResourceNotFoundError } from '@modelcontextprotocol/client';
import { StdioClientTransport as Stdio2 } from '@modelcontextprotocol/client/stdio';
import { startServer, binary } from '../api/lib/harness.mjs';
import { assertOk } from '../api/lib/fixtures.mjs';
import { TOOLS, seedPlatform, toolError, structured } from './lib.mjs';

let server, data;
before(async () => {
  server = await startServer();
  data = await seedPlatform(server);
});
after(async () => { await server?.stop(); });

const params = (token) => ({
  command: binary,
  args: ['mcp', '--url', server.baseUrl, ...(token ? ['--token', token] : [])],
  stderr: 'pipe',
});

describe('o4o mcp (stdio)', () => {
  it('1.x client: lists the tools and places an order through quote and confirm', async () => {
    const client = new Client1({ name: 'stdio-sdk1', version: '1.0.0' });
    await client.connect(new Stdio1(params(data.accounts.user.token)));
    try {
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name), TOOLS);
      const args = { items: [{ productId: data.product.id, quantity: 1 }] };
      const quote = structured(await client.callTool({ name: 'place_order', arguments: args }));
      const order = structured(await client.callTool({ name: 'place_order', arguments: { ...args, confirm: true, quoteId: quote.quoteId } }));
      const seen = assertOk(await server.api.get(`/api/v1/ecommerce/orders/${order.id}`, { token: data.accounts.user.token }));
      assert.equal(seen.total, data.product.price);
      assert.equal(toolError(await client.callTool({ name: 'list_displays', arguments: {} })), 'FORBIDDEN');
    } finally { await client.close(); }
  });

  it('2.x client: probes with server/discover and speaks 2026-07-28; anonymous writes are refused', async () => {
    const client = new Client2({ name: 'stdio-sdk2', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new Stdio2(params()));
    try {
      assert.equal(client.getProtocolEra(), 'modern');
      const found = structured(await client.callTool({ name: 'search_posts', arguments: { q: 'Hello' } }));
      assert.equal(found.items[0].id, data.post.id);
      const { contents } = await client.readResource({ uri: `o4o://projects/${data.project.id}` });
      assert.equal(JSON.parse(contents[0].text).id, data.project.id);
      assert.equal(toolError(await client.callTool({ name: 'create_post', arguments: { title: 't', content: 'c' } })), 'UNAUTHORIZED');
    } finally { await client.close(); }
  });

  it('2.x client in the legacy era: the initialize handshake over stdio, and a creator\'s write', async () => {
    const client = new Client2({ name: 'stdio-sdk2-legacy', version: '2.0.0' }, { versionNegotiation: { mode: 'legacy' } });
    await client.connect(new Stdio2(params(data.accounts.creator.token)));
    try {
      assert.equal(client.getProtocolEra(), 'legacy');
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name), TOOLS);
      const comment = structured(await client.callTool({ name: 'add_comment', arguments: { postId: data.post.id, content: 'via stdio' } }));
      assert.equal(comment.authorId, data.accounts.creator.user.id);
      const post = assertOk(await server.api.get(`/api/v1/forum/posts/${data.post.id}`));
      assert.ok(post.comments.some((c) => c.id === comment.id));
      // the server answers -32002 in this era; the 2.x client names it ResourceNotFoundError
      await assert.rejects(client.readResource({ uri: 'o4o://products/nope' }), ResourceNotFoundError);
    } finally { await client.close(); }
  });

  it('a refused token becomes a JSON-RPC error, and the token never reaches stderr', async () => {
    const transport = new Stdio1(params('not-a-token'));
    let stderr = '';
    transport.stderr?.on('data', (d) => { stderr += d; });
    const client = new Client1({ name: 'stdio-bad', version: '1.0.0' });
    await assert.rejects(client.connect(transport), /Unauthorized/);
    await client.close().catch(() => {});
    assert.ok(!stderr.includes('not-a-token'));
  });
});
