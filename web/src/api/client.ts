import { readStoredAuth, useAuth } from '../store/auth';
import { noteRotation, rotationOf } from '../store/rotations';
import type { TokenPair } from './types';

export const API_BASE = '/api/v1';

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | null;
  /** seconds to wait, from a 429's or 503's `Retry-After` header */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, details?: unknown, requestId?: string | null, retryAfter?: number | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId ?? null;
    this.retryAfter = retryAfter ?? null;
  }

  /** `details` as field → message, when the server sent `[{field, message}]`. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details) {
        if (d && typeof d === 'object' && typeof (d as FieldProblem).field === 'string') {
          const f = (d as FieldProblem).field;
          if (!out[f]) out[f] = String((d as FieldProblem).message ?? '');
        }
      }
    }
    return out;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** attach the bearer token (default true when signed in) */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

type Handler = () => void;
let sessionExpiredHandler: Handler = () => useAuth.getState().clear();
/** Called when the session cannot be renewed; the app sends the user to the login page and clears the session. */
export function onSessionExpired(h: Handler) {
  sessionExpiredHandler = h;
}

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `Retry-After` in seconds (a number of seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function toError(res: Response, body: unknown): ApiError {
  const rid = res.headers.get('X-Request-Id');
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error?: { code?: string; message?: string; details?: unknown } }).error ?? {};
    return new ApiError(res.status, e.code ?? 'ERROR', e.message || res.statusText || `HTTP ${res.status}`, e.details, rid, retryAfter);
  }
  return new ApiError(res.status, `HTTP_${res.status}`, res.statusText || `HTTP ${res.status}`, undefined, rid, retryAfter);
}

async function send(path: string, opts: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(API_BASE + path, { method: opts.method ?? 'GET', headers, body, signal: opts.signal });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', 'Network error: the server could not be reached.');
  }
}

/** Calls the API and unwraps the envelope's `data`; throws ApiError with the envelope's message. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const useToken = opts.auth !== false;
  const session = useToken ? await currentSession() : null;
  let res = await send(path, opts, session?.accessToken ?? null);
  if (res.status === 401 && session) {
    const renewed = await refreshSession(session);
    if (renewed) {
      res = await send(path, opts, renewed);
    } else {
      sessionExpiredHandler();
    }
  }
  const body = await parse(res);
  if (!res.ok || (body && typeof body === 'object' && (body as { success?: boolean }).success === false)) {
    throw toError(res, body);
  }
  if (body === undefined) throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent an unreadable answer.');
  return (body as { data: T } | null)?.data as T;
}

interface SessionTokens {
  accessToken: string;
  refreshToken: string | null;
}

/** The access token to use now (renewed first when about to expire), for requests made without api(). */
export async function currentAccessToken(): Promise<string | null> {
  return (await currentSession())?.accessToken ?? null;
}

/** The tokens to use now, renewing them first when the access token is about to expire. */
async function currentSession(): Promise<SessionTokens | null> {
  const s = useAuth.getState();
  if (!s.accessToken) return null;
  const snapshot = { accessToken: s.accessToken, refreshToken: s.refreshToken };
  if (s.refreshToken && s.expiresAt - Date.now() < 10_000) {
    const t = await refreshSession(snapshot);
    if (!t) {
      sessionExpiredHandler();
      return null;
    }
    const now = useAuth.getState();
    return { accessToken: t, refreshToken: now.refreshToken };
  }
  return snapshot;
}

// ---- single-flight refresh, within the tab and across tabs -------------------------------

let inflight: Promise<string | null> | null = null;

/**
 * Renews the session once for every caller that saw the `stale` tokens fail. Parallel callers in the
 * tab share one promise; other tabs are serialised by a Web Lock (or a localStorage lease where
 * Web Locks are missing) and, once inside, notice that the stored token already changed.
 */
export function refreshSession(stale: SessionTokens): Promise<string | null> {
  if (!inflight) {
    inflight = withCrossTabLock(() => doRefresh(stale)).finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

let refreshCalls = 0;
/** How many refresh requests this tab sent (exposed for tests). */
export function refreshRequestCount() {
  return refreshCalls;
}

async function doRefresh(stale: SessionTokens): Promise<string | null> {
  let stored = readStoredAuth();
  if (!stored.refreshToken) return null;
  // The tab that held the lock before may have spent this token already, its new pair not yet in
  // this tab's copy of localStorage (store/rotations.ts): take that pair instead of spending it again.
  const rotated = await rotationOf(stored.refreshToken);
  if (rotated) stored = { ...stored, ...rotated };
  const renewedElsewhere = stored.accessToken !== stale.accessToken || stored.refreshToken !== stale.refreshToken;
  if (stored.accessToken && renewedElsewhere && stored.expiresAt - Date.now() > 10_000) {
    // another tab (or an earlier flight) already renewed it
    useAuth.setState(stored);
    return stored.accessToken;
  }
  const spending = stored.refreshToken;
  if (!spending) return null;
  refreshCalls++;
  let res: Response;
  try {
    res = await fetch(`${API_BASE}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refreshToken: spending }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'Network error: the server could not be reached.');
  }
  const body = await parse(res);
  if (res.ok && body && typeof body === 'object' && 'data' in body) {
    const pair = (body as { data: TokenPair }).data;
    // Noted before the lock is let go, so that the next tab to renew finds it (see above).
    await noteRotation(spending, {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: Date.now() + Math.max(0, pair.expiresIn) * 1000,
    });
    useAuth.getState().setSession({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresIn: pair.expiresIn });
    return pair.accessToken;
  }
  if (res.status === 401 || res.status === 400 || res.status === 403) {
    // The session is over; the expiry handler sends the user to log in and clears it.
    return null;
  }
  throw toError(res, body);
}

const LOCK_NAME = 'o4o-auth-refresh';
const LEASE_KEY = 'o4o.auth.refreshLease';

async function withCrossTabLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks?.request) {
    return locks.request(LOCK_NAME, { mode: 'exclusive' }, () => fn()) as Promise<T>;
  }
  return withLease(fn);
}

/** Fallback for browsers without Web Locks: a short lease in localStorage. */
async function withLease<T>(fn: () => Promise<T>): Promise<T> {
  const me = Math.random().toString(36).slice(2);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = Date.now();
    let holder: { owner: string; until: number } | null = null;
    try {
      holder = JSON.parse(localStorage.getItem(LEASE_KEY) ?? 'null');
    } catch {
      holder = null;
    }
    if (!holder || holder.until < now || now > deadline) {
      localStorage.setItem(LEASE_KEY, JSON.stringify({ owner: me, until: now + 10_000 }));
      await new Promise((r) => setTimeout(r, 30));
      const check = JSON.parse(localStorage.getItem(LEASE_KEY) ?? 'null');
      if (check?.owner === me || now > deadline) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await fn();
  } finally {
    try {
      const check = JSON.parse(localStorage.getItem(LEASE_KEY) ?? 'null');
      if (check?.owner === me) localStorage.removeItem(LEASE_KEY);
    } catch {
      /* ignore */
    }
  }
}

/** Builds a query string from defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}
