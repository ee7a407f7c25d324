// Shared helpers for the browser tests: start the real server on a fresh SQLite database,
// launch Debian's Chromium through playwright-core, and small UI/API utilities.
import { before, after } from 'node:test';
import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, openSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
const requireFromWeb = createRequire(join(repoRoot, 'web', 'package.json'));
export const { chromium } = requireFromWeb('playwright-core');

export const O4O_BIN = process.env.O4O_BIN || join(repoRoot, 'build', 'o4o');
export const WEB_ROOT = process.env.O4O_WEB_ROOT || join(repoRoot, 'web', 'dist');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const ADMIN = { email: 'admin@o4o.test', password: 'Adm1n-Browser-Pass', name: 'Site Admin' };

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function run(cmd, args, timeoutMs = 30_000) {
  return new Promise((res, rej) => {
    execFile(cmd, args, { timeout: timeoutMs, env: { ...process.env } }, (err, stdout, stderr) => {
      if (err) rej(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else res(stdout);
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts build/o4o on a free loopback port with a fresh SQLite database and web/dist as web root,
 * after creating the admin account through the CLI. Options: { seed: true } loads demo data;
 * { env } adds variables to the server's environment.
 */
export async function startServer({ seed = false, env = {} } = {}) {
  if (!existsSync(O4O_BIN)) throw new Error(`server binary not found at ${O4O_BIN} (build it first)`);
  if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error(`web build not found at ${WEB_ROOT} (run npm run build in web/)`);
  const dir = mkdtempSync(join(tmpdir(), 'o4o-browser-'));
  const database = `sqlite:${join(dir, 'o4o.db')}`;
  await run(O4O_BIN, ['users', 'create', '--database', database, '--email', ADMIN.email, '--password', ADMIN.password, '--name', ADMIN.name, '--role', 'admin']);
  let seedOutput = '';
  if (seed) seedOutput = await run(O4O_BIN, ['seed', '--database', database], 60_000);
  const port = await freePort();
  const logPath = join(dir, 'server.log');
  const log = openSync(logPath, 'a');
  const child = spawn(O4O_BIN, ['serve', '--host', '127.0.0.1', '--port', String(port), '--database', database, '--web-root', WEB_ROOT], {
    env: { ...process.env, O4O_RATE_LIMIT_RPS: '0', O4O_PASSWORD_HASH_PER_MIN: '0', O4O_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', log, log],
  });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`server exited early (${JSON.stringify(exited)}):\n${readFileSync(logPath, 'utf8').slice(-4000)}`);
    try {
      const r = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /healthz within 20 s:\n${readFileSync(logPath, 'utf8').slice(-4000)}`);
    }
    await sleep(100);
  }
  return {
    baseURL,
    database,
    dir,
    seedOutput,
    log: () => readFileSync(logPath, 'utf8'),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const t0 = Date.now();
        while (!exited && Date.now() - t0 < 10_000) await sleep(50);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: starts the server (options as for startServer) and the browser before its
 * tests and stops both after them. The returned object's `server` and `browser` are set once up.
 */
export function serverAndBrowser(options) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser context (its own storage) in English unless told otherwise. */
export async function newPage(browser, baseURL, { locale = 'en-US', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ baseURL, locale, viewport });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('dialog', (d) => d.accept().catch(() => {}));
  page.pageErrors = errors;
  return page;
}

// ---- API helpers (for setting up state the test is not about) ---------------------------------

export async function apiCall(baseURL, method, path, { token, body, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseURL}/api/v1${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not json */
  }
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return json?.data;
}

/** The envelope error the server answers to a request that must fail (to assert the page shows the same). */
export async function apiError(baseURL, method, path, { token, body } = {}) {
  const h = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseURL}/api/v1${path}`, { method, headers: h, body: JSON.stringify(body ?? {}), signal: AbortSignal.timeout(10_000) });
  const json = await res.json().catch(() => null);
  if (res.ok || !json?.error) throw new Error(`${method} ${path} → ${res.status}: expected an error envelope`);
  return json.error;
}

export async function apiLogin(baseURL, email, password) {
  return apiCall(baseURL, 'POST', '/auth/login', { body: { email, password } });
}

let counter = 0;
export function uniqueEmail(prefix) {
  counter++;
  return `${prefix}.${Date.now().toString(36)}${counter}@example.test`;
}

// ---- UI helpers ---------------------------------------------------------------------------------

export async function uiRegister(page, { name, email, password, role = 'user' }) {
  await page.goto('/register');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('I want to').selectOption(role);
  await page.getByRole('checkbox', { name: 'I agree to the Terms of service and the Privacy policy.' }).check();
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByTestId('current-user').filter({ hasText: name }).waitFor();
}

export async function uiLogin(page, { email, password, name }) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (name) await page.getByTestId('current-user').filter({ hasText: name }).waitFor();
}

export async function uiLogout(page) {
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.getByRole('button', { name: 'Log out' }).first().click();
  await page.getByRole('link', { name: 'Log in' }).first().waitFor();
}

/** Formats minor units the way the app does for an English (en-US) browser. */
export async function moneyFormatter(baseURL) {
  const cfg = await apiCall(baseURL, 'GET', '/config');
  const fd = cfg.fractionDigits ?? 0;
  const f = new Intl.NumberFormat('en-US', { style: 'currency', currency: cfg.currency, minimumFractionDigits: fd, maximumFractionDigits: fd });
  return { cfg, format: (minor) => f.format(minor / 10 ** fd), major: (minor) => String(minor / 10 ** fd) };
}

/**
 * Holds the page's requests to `pattern` (as on a slow network) until the returned function is
 * called; that lets the held ones and every later one through and returns how many were held.
 */
export async function holdRequests(page, pattern) {
  let held = [];
  await page.route(pattern, (route) => (held ? held.push(route) : route.continue()));
  return async () => {
    const routes = held;
    held = null;
    for (const route of routes) await route.continue();
    return routes.length;
  };
}

/**
 * The field's value once it is `value`, or after `ms` whatever it is then, for the test to assert:
 * a form may set a field in an effect, a moment after it renders.
 */
export async function valueSoon(field, value, ms = 5000) {
  for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 50))) {
    const now = await field.inputValue();
    if (now === value || Date.now() - t0 >= ms) return now;
  }
}
