// GET /api/v1/openapi.json: a parseable OpenAPI 3.x document that documents every method and path
// of the contract (/work/shared/API.md), with the envelopes, security, pagination and
// Idempotency-Key described there — and the server really serves what it documents.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';

// Every method + path of the contract's tables, with :param written as {param}.
const CONTRACT = {
  auth: [
    'POST /api/v1/auth/register', 'POST /api/v1/auth/login', 'POST /api/v1/auth/refresh',
    'POST /api/v1/auth/logout', 'GET /api/v1/auth/me',
  ],
  users: ['GET /api/v1/users', 'GET /api/v1/users/{id}', 'PUT /api/v1/users/{id}', 'DELETE /api/v1/users/{id}'],
  crowdfunding: [
    'GET /api/v1/crowdfunding/projects', 'POST /api/v1/crowdfunding/projects',
    'GET /api/v1/crowdfunding/projects/{id}', 'PUT /api/v1/crowdfunding/projects/{id}',
    'POST /api/v1/crowdfunding/projects/{id}/cancel', 'POST /api/v1/crowdfunding/projects/{id}/fund',
    'GET /api/v1/crowdfunding/projects/{id}/pledges', 'GET /api/v1/crowdfunding/pledges',
    'POST /api/v1/crowdfunding/pledges/{id}/cancel',
    // additions of issue 20: rewards after launch
    'POST /api/v1/crowdfunding/projects/{id}/rewards', 'PUT /api/v1/crowdfunding/projects/{id}/rewards/{rewardId}',
    'DELETE /api/v1/crowdfunding/projects/{id}/rewards/{rewardId}',
  ],
  ecommerce: [
    'GET /api/v1/ecommerce/products', 'GET /api/v1/ecommerce/categories', 'POST /api/v1/ecommerce/products',
    'GET /api/v1/ecommerce/products/{id}', 'PUT /api/v1/ecommerce/products/{id}',
    'DELETE /api/v1/ecommerce/products/{id}', 'GET /api/v1/ecommerce/orders', 'POST /api/v1/ecommerce/orders',
    'GET /api/v1/ecommerce/orders/{id}', 'POST /api/v1/ecommerce/orders/{id}/cancel',
    'PUT /api/v1/ecommerce/orders/{id}/status',
    // an addition of issue 15: what an order would be, for the MCP tool's quote
    'POST /api/v1/ecommerce/orders/quote',
  ],
  forum: [
    'GET /api/v1/forum/categories', 'GET /api/v1/forum/posts', 'POST /api/v1/forum/posts',
    'GET /api/v1/forum/posts/{id}', 'PUT /api/v1/forum/posts/{id}', 'DELETE /api/v1/forum/posts/{id}',
    'GET /api/v1/forum/posts/{id}/comments', 'POST /api/v1/forum/posts/{id}/comments', 'PUT /api/v1/forum/posts/{id}/comments/{commentId}',
    'DELETE /api/v1/forum/posts/{id}/comments/{commentId}', 'POST /api/v1/forum/posts/{id}/like',
    'DELETE /api/v1/forum/posts/{id}/like',
    // an addition of issue 20: category display names per language
    'PUT /api/v1/forum/categories/{slug}',
  ],
  signage: [
    'GET /api/v1/signage/displays', 'POST /api/v1/signage/displays', 'GET /api/v1/signage/displays/{id}',
    'PUT /api/v1/signage/displays/{id}', 'POST /api/v1/signage/displays/{id}/token',
    'PUT /api/v1/signage/displays/{id}/content', 'PUT /api/v1/signage/displays/{id}/schedule',
    'DELETE /api/v1/signage/displays/{id}', 'GET /api/v1/signage/displays/{id}/stream',
  ],
  payments: [
    'POST /api/v1/ecommerce/orders/{id}/payment', 'POST /api/v1/crowdfunding/pledges/{id}/payment',
    'POST /api/v1/payments/{id}/confirm', 'GET /api/v1/payments/{id}', 'GET /api/v1/payments',
    'POST /api/v1/payments/webhooks/{provider}', 'POST /api/v1/payments/{id}/refund',
    'POST /api/v1/payments/sim/{id}/complete',
  ],
  mcp: [
    'POST /api/v1/auth/tokens', 'GET /api/v1/auth/tokens', 'DELETE /api/v1/auth/tokens/{id}',
    'POST /mcp',
  ],
  media: ['POST /api/v1/media', 'GET /api/v1/media/{id}', 'DELETE /api/v1/media/{id}', 'GET /media/{name}'],
  // "Accounts: email, recovery, creator approval"; GET /users/me/creator-request is ours (the
  // contract is silent on how a user sees their request).
  accounts: [
    'POST /api/v1/auth/verify-email/request', 'POST /api/v1/auth/verify-email', 'POST /api/v1/auth/password/forgot',
    'POST /api/v1/auth/password/reset', 'POST /api/v1/users/me/creator-request', 'GET /api/v1/users/me/creator-request',
    'GET /api/v1/users/creator-requests', 'POST /api/v1/users/{id}/creator-request/approve',
    'POST /api/v1/users/{id}/creator-request/reject', 'GET /api/v1/admin/outbox',
  ],
  operations: ['GET /api/v1/config', 'GET /api/v1/openapi.json', 'GET /healthz', 'GET /readyz', 'GET /metrics'],
};
const ALL = Object.values(CONTRACT).flat().map((s) => {
  const [method, path] = s.split(' ');
  return { method: method.toLowerCase(), path };
});
const PAGINATED = [
  'GET /api/v1/users', 'GET /api/v1/crowdfunding/projects', 'GET /api/v1/crowdfunding/projects/{id}/pledges',
  'GET /api/v1/crowdfunding/pledges', 'GET /api/v1/ecommerce/products', 'GET /api/v1/ecommerce/orders',
  'GET /api/v1/forum/posts', 'GET /api/v1/signage/displays', 'GET /api/v1/payments', 'GET /api/v1/auth/tokens',
  'GET /api/v1/users/creator-requests', 'GET /api/v1/admin/outbox',
];
const IDEMPOTENT = ['POST /api/v1/crowdfunding/projects/{id}/fund', 'POST /api/v1/ecommerce/orders'];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

let srv;
let res;
let doc;
let mounted;

function resolve(node) {
  while (node && node.$ref) {
    assert.match(node.$ref, /^#\//, `only local references: ${node.$ref}`);
    node = node.$ref.slice(2).split('/').reduce((n, k) => n?.[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
    assert.ok(node, 'reference resolves');
  }
  return node;
}
const operation = (key) => {
  const [method, path] = key.split(' ');
  return doc.paths[path]?.[method.toLowerCase()];
};
// Parameters of an operation, path-level ones included, references resolved.
const paramsOf = (path, method) =>
  [...(doc.paths[path].parameters ?? []), ...(doc.paths[path][method].parameters ?? [])].map(resolve);

before(async () => {
  srv = await startServer({ admin: false });
  res = await srv.api.get('/api/v1/openapi.json');
  doc = res.json;
  mounted = (await srv.api.get('/api/v1/config')).data.services;
});

after(async () => {
  await srv?.stop();
});

describe('document', () => {
  test('is served as parseable JSON with openapi 3.x', () => {
    assert.equal(res.status, 200, res.text.slice(0, 200));
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.ok(doc && typeof doc === 'object', 'the body parses as a JSON object');
    assert.match(doc.openapi, /^3\./);
    assert.equal(typeof doc.info?.title, 'string');
    assert.equal(typeof doc.info?.version, 'string');
    assert.equal(typeof doc.paths, 'object');
  });

  test('every $ref points at something in the document', () => {
    let count = 0;
    (function walk(node) {
      if (!node || typeof node !== 'object') return;
      if (typeof node.$ref === 'string') { resolve(node); count++; }
      for (const v of Object.values(node)) walk(v);
    })(doc);
    assert.ok(count > 0);
  });

  test('operation ids are unique', () => {
    const ids = [];
    for (const item of Object.values(doc.paths))
      for (const m of HTTP_METHODS) if (item[m]) ids.push(item[m].operationId);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('coverage of the contract', () => {
  test('every method and path of the contract is documented', () => {
    const missing = ALL.filter(({ method, path }) => !doc.paths[path]?.[method]).map((o) => `${o.method.toUpperCase()} ${o.path}`);
    assert.deepEqual(missing, []);
  });

  test('nothing is documented that the contract does not have', () => {
    const known = new Set(ALL.map((o) => `${o.method} ${o.path}`));
    const extra = [];
    for (const [path, item] of Object.entries(doc.paths))
      for (const m of HTTP_METHODS) if (item[m] && !known.has(`${m} ${path}`)) extra.push(`${m.toUpperCase()} ${path}`);
    assert.deepEqual(extra, []);
  });

  test('every {param} of a path is declared as a required path parameter', () => {
    for (const { method, path } of ALL) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = paramsOf(path, method).filter((p) => p.in === 'path');
      for (const n of names) assert.ok(declared.some((p) => p.name === n && p.required === true), `${method} ${path}: {${n}}`);
      assert.equal(declared.length, names.length, `${method} ${path}: no undeclared path parameters`);
    }
  });

  test('every documented route of a mounted service is served by the router', async () => {
    // An empty, unauthenticated request: a served route answers anything but 405 or "No such
    // route" (401, 400, 404 for the made-up id...). Nothing is created: no credentials are sent.
    const id = '00000000-0000-4000-8000-000000000000';
    const notServed = [];
    for (const [service, ops] of Object.entries(CONTRACT)) {
      if (service !== 'operations' && !mounted.includes(service)) continue;
      for (const key of ops) {
        const [method, path] = key.split(' ');
        const r = await srv.api.req(method, path.replace(/\{\w+\}/g, id));
        if (r.status === 405 || (r.status === 404 && r.json?.error?.message === 'No such route')) notServed.push(key);
      }
    }
    assert.deepEqual(notServed, []);
  });
});

describe('details', () => {
  test('responses use the success and error envelopes', () => {
    for (const { method, path } of ALL.filter((o) => o.path.startsWith('/api/v1/') && o.path !== '/api/v1/openapi.json')) {
      const responses = doc.paths[path][method].responses;
      const ok = Object.keys(responses).find((s) => /^2\d\d$/.test(s));
      assert.ok(ok, `${method} ${path} has a 2xx answer`);
      const okSchema = resolve(resolve(responses[ok]).content?.['application/json']?.schema);
      if (path.endsWith('/stream')) continue;
      assert.equal(okSchema?.properties?.success?.const, true, `${method} ${path} ${ok}`);
      assert.ok(okSchema.required.includes('data'), `${method} ${path}: data`);
      for (const [status, r] of Object.entries(responses).filter(([s]) => /^[45]\d\d$/.test(s))) {
        const schema = resolve(resolve(r).content?.['application/json']?.schema);
        const parts = schema?.allOf ? schema.allOf.map(resolve) : [schema];
        assert.ok(parts.some((p) => p?.properties?.success?.const === false), `${method} ${path} ${status} is an error envelope`);
      }
    }
  });

  test('error codes per status follow the contract', () => {
    const codesOf = (r) => {
      const schema = resolve(resolve(r).content['application/json'].schema);
      return (schema.allOf ?? [schema]).map(resolve).flatMap((p) => p.properties?.error?.properties?.code?.enum ?? []);
    };
    assert.deepEqual(codesOf(operation('POST /api/v1/auth/register').responses['409']), ['EMAIL_TAKEN']);
    assert.deepEqual(codesOf(operation('POST /api/v1/auth/login').responses['401']), ['INVALID_CREDENTIALS']);
    assert.deepEqual(codesOf(operation('GET /api/v1/auth/me').responses['401']), ['UNAUTHORIZED']);
    assert.ok(codesOf(operation('POST /api/v1/ecommerce/orders').responses['409']).includes('OUT_OF_STOCK'));
    assert.ok(codesOf(operation('POST /api/v1/ecommerce/orders').responses['409']).includes('IDEMPOTENCY_CONFLICT'));
    const fund = codesOf(operation('POST /api/v1/crowdfunding/projects/{id}/fund').responses['409']);
    for (const c of ['FUNDING_CLOSED', 'REWARD_UNAVAILABLE', 'IDEMPOTENCY_CONFLICT']) assert.ok(fund.includes(c), c);
    assert.deepEqual(codesOf(operation('PUT /api/v1/ecommerce/orders/{id}/status').responses['409']), ['INVALID_TRANSITION']);
    assert.deepEqual(codesOf(operation('POST /api/v1/forum/posts').responses['400']).sort(), ['INVALID_JSON', 'VALIDATION_ERROR']);
    assert.deepEqual(codesOf(operation('POST /api/v1/forum/posts').responses['415']), ['UNSUPPORTED_MEDIA_TYPE']);
    assert.deepEqual(codesOf(operation('POST /api/v1/forum/posts').responses['413']), ['PAYLOAD_TOO_LARGE']);
    assert.deepEqual(codesOf(operation('POST /api/v1/payments/{id}/confirm').responses['402']), ['PAYMENT_FAILED']);
    assert.deepEqual(codesOf(operation('POST /api/v1/payments/{id}/confirm').responses['400']).sort(), ['INVALID_JSON', 'VALIDATION_ERROR']);
    assert.deepEqual(codesOf(operation('POST /api/v1/payments/{id}/confirm').responses['409']), ['INVALID_TRANSITION']);
    assert.deepEqual(codesOf(operation('POST /api/v1/payments/{id}/refund').responses['409']).sort(), ['CONFLICT', 'INVALID_TRANSITION']);
    assert.deepEqual(codesOf(operation('POST /api/v1/ecommerce/orders/{id}/payment').responses['409']), ['INVALID_TRANSITION']);
    for (const key of ['POST /api/v1/payments/{id}/confirm', 'POST /api/v1/payments/{id}/refund']) {
      const unavailable = resolve(operation(key).responses['503']);
      assert.deepEqual(codesOf(unavailable), ['SERVICE_UNAVAILABLE'], key);
      assert.ok(unavailable.headers?.['Retry-After'], `${key}: 503 documents Retry-After`);
    }
    const limited = resolve(operation('GET /api/v1/forum/posts').responses['429']);
    assert.deepEqual(codesOf(limited), ['RATE_LIMITED']);
    assert.ok(limited.headers?.['Retry-After'], '429 documents Retry-After');
  });

  test('security schemes: bearer JWT and the signage device token', () => {
    const schemes = doc.components.securitySchemes;
    const bearer = Object.values(schemes).find((s) => s.type === 'http' && s.scheme === 'bearer' && s.bearerFormat === 'JWT');
    assert.ok(bearer, 'a bearer JWT scheme');
    const me = operation('GET /api/v1/auth/me').security.flatMap(Object.keys).map((k) => schemes[k]);
    assert.ok(me.includes(bearer));
    const stream = operation('GET /api/v1/signage/displays/{id}/stream').security.flatMap(Object.keys);
    assert.ok(stream.length > 0 && stream.every((k) => schemes[k] && schemes[k] !== bearer), 'the stream takes the device token only');
    assert.ok(stream.some((k) => schemes[k].in === 'query' && schemes[k].name === 'token'), '?token= is documented');
    // Anyone may read the project list.
    const list = operation('GET /api/v1/crowdfunding/projects').security;
    assert.ok(!list || list.length === 0 || list.some((r) => Object.keys(r).length === 0));
  });

  test('paginated lists take page and limit (limit 1..100)', () => {
    for (const key of PAGINATED) {
      const [method, path] = key.split(' ');
      const params = paramsOf(path, method.toLowerCase());
      const limit = params.find((p) => p.name === 'limit' && p.in === 'query');
      const pg = params.find((p) => p.name === 'page' && p.in === 'query');
      assert.ok(pg && limit, key);
      assert.equal(pg.schema.minimum, 1, key);
      assert.equal(limit.schema.minimum, 1, key);
      assert.equal(limit.schema.maximum, 100, key);
      const data = resolve(resolve(operation(key).responses['200']).content['application/json'].schema).properties.data;
      assert.deepEqual([...resolve(data).required].sort(), ['items', 'limit', 'page', 'total'], key);
    }
  });

  test('Idempotency-Key header on fund and order creation', () => {
    for (const key of IDEMPOTENT) {
      const [method, path] = key.split(' ');
      const p = paramsOf(path, method.toLowerCase()).find((x) => x.in === 'header' && x.name.toLowerCase() === 'idempotency-key');
      assert.ok(p, key);
      assert.equal(p.schema.minLength, 1);
      assert.equal(p.schema.maxLength, 255);
    }
  });

  test('request bodies carry field types and limits', () => {
    const body = (key) => resolve(resolve(operation(key).requestBody).content['application/json'].schema);
    const post = body('POST /api/v1/forum/posts');
    assert.deepEqual([post.properties.title.minLength, post.properties.title.maxLength], [1, 200]);
    assert.ok(post.required.includes('title') && post.required.includes('content'));
    const product = body('POST /api/v1/ecommerce/products');
    const price = resolve(product.properties.price);
    assert.equal(price.type, 'integer');
    assert.equal(price.minimum, 0);
    assert.equal(price.maximum, 2 ** 53 - 1);
    const reg = body('POST /api/v1/auth/register');
    assert.deepEqual(resolve(reg.properties.role).enum, ['user', 'creator']);
    const pw = resolve(reg.properties.password);
    assert.deepEqual([pw.minLength, pw.maxLength], [8, 128]);
    const order = body('POST /api/v1/ecommerce/orders');
    assert.equal(order.properties.items.minItems, 1);
    assert.equal(resolve(order.properties.items.items).properties.quantity.minimum, 1);
  });

  test('payments: schemas, the webhook signature and the additions to pledges and config', () => {
    const schema = (name) => resolve({ $ref: `#/components/schemas/${name}` });
    const payment = schema('Payment');
    for (const f of ['id', 'purpose', 'targetId', 'userId', 'provider', 'amount', 'refundedAmount', 'currency', 'status',
      'failureReason', 'paidAt', 'createdAt', 'updatedAt'])
      assert.ok(payment.required.includes(f), `payment.${f}`);
    assert.deepEqual(resolve(payment.properties.status).enum, ['pending', 'paid', 'refunded', 'failed', 'cancelled']);
    const checkout = schema('Checkout');
    assert.deepEqual([...checkout.required].sort(),
      ['amount', 'clientKey', 'failUrl', 'orderName', 'paymentId', 'provider', 'redirectUrl', 'successUrl']);
    const started = resolve(resolve(operation('POST /api/v1/ecommerce/orders/{id}/payment').responses['201']).content['application/json'].schema);
    assert.deepEqual([...resolve(started.properties.data).required].sort(), ['checkout', 'payment']);
    assert.ok(operation('POST /api/v1/ecommerce/orders/{id}/payment').responses['200'], 'the pending payment again: 200');
    const confirm = resolve(resolve(operation('POST /api/v1/payments/{id}/confirm').requestBody).content['application/json'].schema);
    assert.deepEqual([...confirm.required].sort(), ['amount', 'paymentKey']);
    // The provider calls the webhook: no bearer token, the sim signature in a header.
    const hook = operation('POST /api/v1/payments/webhooks/{provider}');
    assert.ok(!hook.security || hook.security.length === 0 || hook.security.some((r) => Object.keys(r).length === 0));
    assert.ok(paramsOf('/api/v1/payments/webhooks/{provider}', 'post').some((p) => p.in === 'header' && p.name === 'O4O-Signature'));
    const received = resolve(resolve(hook.responses['200']).content['application/json'].schema).properties.data;
    assert.equal(resolve(received).properties.received.const, true);
    const sim = resolve(resolve(operation('POST /api/v1/payments/sim/{id}/complete').requestBody).content['application/json'].schema);
    assert.deepEqual(sim.properties.outcome.enum, ['paid', 'declined', 'fail_on_confirm']);
    const pledge = schema('Pledge');
    assert.deepEqual(pledge.properties.paymentStatus.enum, ['unpaid', 'paid', 'refunded']);
    assert.ok(pledge.properties.payBy);
    const config = schema('Config');
    assert.deepEqual([...resolve(config.properties.payments).required].sort(), ['clientKey', 'provider']);
  });

  test('the served config carries what the document says', async () => {
    const config = (await srv.api.get('/api/v1/config')).data;
    const schema = resolve({ $ref: '#/components/schemas/Config' });
    for (const s of config.services) assert.ok(schema.properties.services.items.enum.includes(s), s);
    if (!config.services.includes('payments')) return;
    assert.ok(resolve(schema.properties.payments).properties.provider.enum.includes(config.payments.provider));
    assert.ok(config.payments.clientKey === null || typeof config.payments.clientKey === 'string');
  });

  test('the signage stream answers text/event-stream', () => {
    const ok = resolve(operation('GET /api/v1/signage/displays/{id}/stream').responses['200']);
    assert.ok(ok.content['text/event-stream']);
  });
});
