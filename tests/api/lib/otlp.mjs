// An OTLP/HTTP JSON receiver for the tracing tests: keeps the bodies POSTed to /v1/traces, and
// the JSON log lines of a server started by the harness.
import http from 'node:http';
import assert from 'node:assert/strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const attr = (attributes, key) => attributes?.find((a) => a.key === key)?.value?.stringValue;

export async function startReceiver() {
  const bodies = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') bodies.push({ headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    bodies,
    // Every span received, each with `instance`: the service.instance.id (host:port) of the
    // process that sent it.
    spans: () => bodies.flatMap((b) => b.body.resourceSpans.flatMap((rs) => {
      const instance = attr(rs.resource?.attributes, 'service.instance.id');
      return rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, instance })));
    })),
    resources: () => bodies.flatMap((b) => b.body.resourceSpans.map((rs) => rs.resource)),
    close: () => new Promise((r) => server.close(r)),
  };
}

// Polls fn until it returns something truthy; fails the test after ms.
export async function waitFor(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// The JSON lines a harness server has written so far.
export const logLines = (s) => s.output().split('\n').filter((l) => l.startsWith('{'))
  .map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean);
