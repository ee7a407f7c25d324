/**
 * The refresh tokens this browser rotated in the last minute, and what each became, kept in
 * IndexedDB.
 *
 * Tabs take turns renewing the session (a Web Lock, api/client.ts), and the tab that renews
 * writes the new pair to localStorage. But localStorage is only eventually consistent between
 * tabs: each tab's renderer reads its own copy, which the browser updates a little later. The
 * next tab to get the lock can still read the refresh token that was just spent, and presenting a
 * spent token ends the session in every tab (the server's reuse detection; it failed a two-tab
 * browser test about once in 25 runs). IndexedDB is consistent: a transaction that completed
 * before the lock was let go is seen by every transaction started after it. So the tab that
 * renews notes "this token became that pair" here first, and a tab about to renew looks here.
 */

export interface RotatedPair {
  accessToken: string;
  refreshToken: string;
  /** epoch ms when the access token expires */
  expiresAt: number;
}

interface Rotation extends RotatedPair {
  spent: string;
  at: number;
}

const DB_NAME = 'o4o-auth';
const STORE = 'rotations';
/** A tab's copy of localStorage lags by milliseconds; older notes only keep spent tokens around. */
const KEEP_MS = 60_000;

let opening: Promise<IDBDatabase | null> | null = null;

/** The database, or null where IndexedDB is missing or refused (then tabs rely on localStorage alone). */
function open(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    try {
      if (typeof indexedDB === 'undefined') return resolve(null);
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'spent' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opening;
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => resolve();
    tx.onabort = () => resolve();
  });
}

/** Notes that `spent` was rotated into `pair`; resolves once the note is committed. */
export async function noteRotation(spent: string, pair: RotatedPair): Promise<void> {
  const db = await open();
  if (!db) return;
  try {
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const now = Date.now();
    const note: Rotation = { spent, ...pair, at: now };
    store.put(note);
    const old = store.openCursor();
    old.onsuccess = () => {
      const c = old.result;
      if (!c) return;
      if ((c.value as Rotation).at < now - KEEP_MS) c.delete();
      c.continue();
    };
    await finished(tx);
  } catch {
    /* the session goes on with localStorage alone */
  }
}

/** The newest pair `token` was rotated into (following later rotations), or null when it was not. */
export async function rotationOf(token: string): Promise<RotatedPair | null> {
  const db = await open();
  if (!db) return null;
  try {
    const tx = db.transaction(STORE, 'readonly');
    const all = await new Promise<Rotation[]>((resolve) => {
      const r = tx.objectStore(STORE).getAll();
      r.onsuccess = () => resolve(r.result as Rotation[]);
      r.onerror = () => resolve([]);
    });
    const bySpent = new Map(all.map((r) => [r.spent, r]));
    let newest: Rotation | undefined;
    let next = bySpent.get(token);
    // at most one step per note: a cycle cannot happen, but the loop is bounded all the same
    for (let steps = 0; next && steps < all.length; steps++) {
      newest = next;
      next = bySpent.get(next.refreshToken);
    }
    return newest ? { accessToken: newest.accessToken, refreshToken: newest.refreshToken, expiresAt: newest.expiresAt } : null;
  } catch {
    return null;
  }
}

/** Forgets every note (the session ended: its tokens are no use to anyone). */
export async function forgetRotations(): Promise<void> {
  const db = await open();
  if (!db) return;
  try {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).clear();
    await finished(tx);
  } catch {
    /* nothing to forget */
  }
}
