// /metrics: parses with a Prometheus text-format parser and has every family the contract lists;
// the Grafana dashboard and the Prometheus alert rules in deploy/ name only metrics the server
// really exports (PromQL parsed with Prometheus's own grammar).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import YAML from 'yaml';
import { startServer, psql } from '../api/lib/harness.mjs';

const require = createRequire(import.meta.url);
const parsePrometheus = require('parse-prometheus-text-format');
const { parser: promql } = require('@prometheus-io/lezer-promql');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The families API.md's "Operations" section asks for, and their types.
const REQUIRED = {
  http_requests_total: 'COUNTER',
  http_request_duration_seconds: 'HISTOGRAM',
  process_cpu_seconds_total: 'COUNTER',
  process_resident_memory_bytes: 'GAUGE',
  process_virtual_memory_bytes: 'GAUGE',
  process_open_fds: 'GAUGE',
  process_max_fds: 'GAUGE',
  process_start_time_seconds: 'GAUGE',
  o4o_db_pool_connections: 'GAUGE',
  o4o_db_pool_waiters: 'GAUGE',
  o4o_open_streams: 'GAUGE',
  o4o_payments_total: 'COUNTER',
  o4o_mail_total: 'COUNTER',
  o4o_build_info: 'GAUGE',
  o4o_data_dir_free_bytes: 'GAUGE',
  o4o_data_dir_size_bytes: 'GAUGE',
  o4o_trace_spans_total: 'COUNTER',
  o4o_worker_queue_depth: 'GAUGE',
  o4o_db_group_commit_queue_depth: 'GAUGE',
  o4o_db_group_commit_reruns_total: 'COUNTER',
};

let server;
let families;
let text;
before(async () => {
  server = await startServer({ admin: false });
  // A few requests, so that the request families have samples.
  await fetch(server.baseUrl + '/healthz');
  await fetch(server.baseUrl + '/api/v1/ecommerce/products');
  await fetch(server.baseUrl + '/api/v1/nowhere');
  text = await (await fetch(server.baseUrl + '/metrics')).text();
  families = parsePrometheus(text);
});
after(() => server?.stop());

const byName = () => Object.fromEntries(families.map((f) => [f.name, f]));

test('/metrics parses as Prometheus text and has every family the contract lists', () => {
  const all = byName();
  for (const [name, type] of Object.entries(REQUIRED)) {
    assert.ok(all[name], `${name} is exported`);
    assert.equal(all[name].type, type, `${name} is a ${type}`);
    // A labelled counter has series once something happened (no payment yet here).
    if (name !== 'o4o_payments_total') assert.ok(all[name].metrics.length > 0, `${name} has a sample`);
  }
  // Each family's HELP and TYPE come once, before its samples (the parser would merge repeats).
  const types = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
  assert.equal(new Set(types).size, types.length, 'no family declared twice');
});

test('the process and build figures are plausible', () => {
  const all = byName();
  const v = (n) => Number(all[n].metrics[0].value);
  assert.ok(v('process_resident_memory_bytes') > 1e6);
  assert.ok(v('process_open_fds') > 3 && v('process_open_fds') <= v('process_max_fds'));
  const started = v('process_start_time_seconds');
  assert.ok(Math.abs(started - Date.now() / 1000) < 600, `start time ${started}`);
  assert.ok(v('process_cpu_seconds_total') >= 0);
  assert.ok(v('o4o_data_dir_free_bytes') > 0 && v('o4o_data_dir_free_bytes') <= v('o4o_data_dir_size_bytes'));
  const build = all.o4o_build_info.metrics[0];
  assert.equal(build.value, '1');
  assert.match(build.labels.version, /^\d+\.\d+\.\d+/);
  assert.match(build.labels.commit, /^([0-9a-f]{40}|unknown)$/);
  const requests = all.http_requests_total.metrics;
  assert.ok(requests.some((m) => m.labels.route === '/healthz' && m.labels.status === '200'));
});

test('PostgreSQL: the pool gauges count the pool', async (t) => {
  let url;
  try {
    const name = `o4o_metrics_${process.pid}_${Date.now()}`;
    psql(`CREATE DATABASE ${name}`);
    const u = new URL(process.env.O4O_TEST_PG_URL || 'postgresql://o4o:o4o@127.0.0.1:5432/postgres');
    u.pathname = '/' + name;
    url = { url: u.toString(), name };
  } catch {
    return t.skip('PostgreSQL is not reachable');
  }
  const pg = await startServer({ admin: false, database: { url: url.url, drop() {} }, env: { O4O_DB_POOL_SIZE: '4' } });
  try {
    const f = Object.fromEntries(parsePrometheus(await (await fetch(pg.baseUrl + '/metrics')).text()).map((x) => [x.name, x]));
    const pool = Object.fromEntries(f.o4o_db_pool_connections.metrics.map((m) => [m.labels.state, Number(m.value)]));
    assert.equal(pool.in_use + pool.idle, 4);
    assert.equal(Number(f.o4o_db_pool_waiters.metrics[0].value), 0);
  } finally {
    await pg.stop();
    try { psql(`DROP DATABASE IF EXISTS ${url.name} WITH (FORCE)`); } catch { /* best effort */ }
  }
});

test("SQLite: the pool gauges count its readers and its writer", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'o4o-metrics-'));
  const lite = await startServer({ admin: false, database: { url: `sqlite:${dir}/m.db`, drop() {} }, env: { O4O_DB_WORKERS: '3' } });
  try {
    const f = Object.fromEntries(parsePrometheus(await (await fetch(lite.baseUrl + '/metrics')).text()).map((x) => [x.name, x]));
    const pool = Object.fromEntries(f.o4o_db_pool_connections.metrics.map((m) => [m.labels.state, Number(m.value)]));
    assert.equal(pool.in_use + pool.idle, 3 + 1, JSON.stringify(pool));
    assert.equal(Number(f.o4o_db_pool_waiters.metrics[0].value), 0);
  } finally {
    await lite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Metric names in a PromQL expression: the Identifier of each VectorSelector.
function metricNames(expr) {
  const tree = promql.parse(expr);
  const names = [];
  let broken = false;
  const c = tree.cursor();
  do {
    if (c.type.isError) broken = true;
    if (c.name === 'Identifier' && c.node.parent?.name === 'VectorSelector') names.push(expr.slice(c.from, c.to));
  } while (c.next());
  assert.ok(!broken, `PromQL parses: ${expr}`);
  return names;
}
// A histogram's series are <name>_bucket, _sum and _count; `up` is Prometheus's own.
function exported(name) {
  const all = byName();
  if (name === 'up' || all[name]) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return all[base]?.type === 'HISTOGRAM';
}

test('every alert rule parses and names only exported metrics', () => {
  const rules = YAML.parse(readFileSync(path.join(root, 'deploy/prometheus/alerts.yml'), 'utf8'));
  const all = rules.groups.flatMap((g) => g.rules);
  const alerts = all.map((r) => r.alert);
  for (const wanted of ['O4OHighErrorRate', 'O4OSlowP99', 'O4ONotReady', 'O4ODiskFillingUp'])
    assert.ok(alerts.includes(wanted), wanted);
  for (const r of all) {
    const names = metricNames(r.expr);
    assert.ok(names.length > 0, r.alert);
    for (const n of names) assert.ok(exported(n), `${r.alert}: ${n} is not exported`);
    assert.ok(r.annotations?.summary, `${r.alert} has a summary`);
  }
});

test('every dashboard panel parses and names only exported metrics', () => {
  const dash = JSON.parse(readFileSync(path.join(root, 'deploy/grafana/o4o-dashboard.json'), 'utf8'));
  assert.equal(dash.uid, 'o4o-platform');
  const exprs = dash.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
  assert.ok(exprs.length >= 10);
  const seen = new Set();
  for (const { panel, expr } of exprs) {
    // Grafana's variables, as Grafana would fill them in.
    const filled = expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*');
    for (const n of metricNames(filled)) {
      assert.ok(exported(n), `${panel}: ${n} is not exported`);
      seen.add(n.replace(/_(bucket|sum|count)$/, ''));
    }
  }
  // The dashboard shows every family the contract lists.
  for (const name of Object.keys(REQUIRED)) assert.ok(seen.has(name), `the dashboard shows ${name}`);
});
