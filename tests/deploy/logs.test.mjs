// deploy/vector.yaml: a Vector configuration that ships the JSON logs to Elasticsearch and Loki.
// Vector itself is not installed here; this checks its shape and that every field its mapping
// reads is one that the server (src/) or nginx's log format (deploy/compose/nginx.conf) writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vector = YAML.parse(readFileSync(path.join(root, 'deploy/vector.yaml'), 'utf8'));

function sources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.(cpp|hpp)$/.test(f) ? [readFileSync(p, 'utf8')] : [];
  }).join('\n');
}

test('vector.yaml: docker, journald and nginx file sources, one remap, Elasticsearch and Loki sinks', () => {
  assert.equal(vector.sources.o4o_containers.type, 'docker_logs');
  assert.equal(vector.sources.o4o_journald.type, 'journald');
  // The file nginx/o4o.conf writes its JSON access lines to.
  const site = readFileSync(path.join(root, 'deploy/nginx/o4o.conf'), 'utf8');
  const file = site.match(/^access_log\s+(\S+)\s+o4o_json;/m)?.[1];
  assert.ok(file, 'nginx/o4o.conf writes JSON access lines');
  assert.equal(vector.sources.nginx_file.type, 'file');
  assert.deepEqual(vector.sources.nginx_file.include, [file]);
  const remap = vector.transforms.o4o_parsed;
  assert.equal(remap.type, 'remap');
  assert.deepEqual(remap.inputs.sort(), Object.keys(vector.sources).sort());
  assert.equal(vector.sinks.elasticsearch.type, 'elasticsearch');
  assert.equal(vector.sinks.loki.type, 'loki');
  for (const sink of Object.values(vector.sinks)) assert.deepEqual(sink.inputs, ['o4o_parsed']);
  // Loki labels stay few and bounded: no ids, paths or trace ids.
  assert.deepEqual(Object.keys(vector.sinks.loki.labels).sort(), ['dataset', 'level', 'service']);
});

test("every field the mapping reads is one the server's or nginx's log lines carry", () => {
  const vrl = vector.transforms.o4o_parsed.source;
  const read = [...new Set([...vrl.matchAll(/\bline\.([A-Za-z_]+)/g)].map((m) => m[1]))];
  const server = sources(path.join(root, 'src'));
  const nginx = readFileSync(path.join(root, 'deploy/compose/nginx.conf'), 'utf8');
  const written = (f) =>
    ['time', 'level', 'msg'].includes(f) || // every line (src/core/logging.cpp)
    server.includes(`{"${f}",`) || server.includes(`"${f}"`) || nginx.includes(`"${f}":`);
  const missing = read.filter((f) => !written(f));
  assert.deepEqual(missing, []);
  for (const f of ['requestId', 'method', 'path', 'route', 'status', 'durationUs', 'client', 'trace_id', 'span_id'])
    assert.ok(read.includes(f), `the mapping reads ${f}`);
});

test('the field mapping is documented in deploy/README.md', () => {
  const readme = readFileSync(path.join(root, 'deploy/README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Central logs'));
  assert.ok(section.length > 100, 'deploy/README.md has a "Central logs" section');
  for (const f of ['requestId', 'durationUs', 'trace_id', 'span_id', 'http.route', 'trace.id'])
    assert.ok(section.includes(f), `${f} in the mapping table`);
});

// Both nginx configurations (compose's and the one in front of systemd instances) start a trace
// the same way and write the same JSON line, so one mapping reads both.
test("nginx's trace and JSON access line are the same in both configurations", () => {
  const block = (text, re) => text.match(re)?.[0];
  const confs = ['deploy/compose/nginx.conf', 'deploy/nginx/o4o.conf'].map((f) => readFileSync(path.join(root, f), 'utf8'));
  for (const re of [/^map \$request_id[^\n]*$/m, /^map \$http_traceparent[\s\S]*?^\}/m, /^log_format o4o_json[\s\S]*?';$/m, /^\s*proxy_set_header traceparent \$o4o_traceparent;$/m]) {
    const [a, b] = confs.map((c) => block(c, re));
    assert.ok(a, `compose/nginx.conf has ${re}`);
    assert.equal(b, a, `nginx/o4o.conf has the same ${re}`);
  }
});
