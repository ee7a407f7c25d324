import { create } from 'zustand';
import type { User } from '../api/types';
import { forgetRotations } from './rotations';

/**
 * The session lives in localStorage so every tab shares it. A refresh token is single-use,
 * so whichever tab refreshes writes the new pair here and the others pick it up through the
 * `storage` event (see api/client.ts for the cross-tab single flight).
 */
export interface StoredAuth {
  user: User | null;
  accessToken: string | null;
  refreshToken: string | null;
  /** epoch ms when the access token expires */
  expiresAt: number;
}

export const AUTH_KEY = 'o4o.auth';

const empty: StoredAuth = { user: null, accessToken: null, refreshToken: null, expiresAt: 0 };

export function readStoredAuth(): StoredAuth {
  try {
    const raw = localStorage.getItem(AUTH_KEY);
    if (!raw) return empty;
    const v = JSON.parse(raw) as Partial<StoredAuth>;
    return {
      user: v.user ?? null,
      accessToken: typeof v.accessToken === 'string' ? v.accessToken : null,
      refreshToken: typeof v.refreshToken === 'string' ? v.refreshToken : null,
      expiresAt: typeof v.expiresAt === 'number' ? v.expiresAt : 0,
    };
  } catch {
    return empty;
  }
}

interface AuthState extends StoredAuth {
  /** set when the session ended on its own (not by logging out), for the login page's notice */
  expired: boolean;
  setSession: (s: { user?: User | null; accessToken: string; refreshToken: string; expiresIn: number }) => void;
  setUser: (u: User) => void;
  clear: (expired?: boolean) => void;
}

function write(s: StoredAuth) {
  try {
    if (!s.accessToken && !s.refreshToken) localStorage.removeItem(AUTH_KEY);
    else localStorage.setItem(AUTH_KEY, JSON.stringify(s));
  } catch {
    /* storage full or disabled: the session lives in memory only */
  }
}

export const useAuth = create<AuthState>((set, get) => ({
  ...readStoredAuth(),
  expired: false,
  setSession: ({ user, accessToken, refreshToken, expiresIn }) => {
    const next: StoredAuth = {
      user: user === undefined ? get().user : user,
      accessToken,
      refreshToken,
      expiresAt: Date.now() + Math.max(0, expiresIn) * 1000,
    };
    write(next);
    set({ ...next, expired: false });
  },
  setUser: (u) => {
    // Only the user changes. The stored tokens may be newer than this tab's (another tab renewed
    // them and its storage event is still on the way): writing this tab's copy back would bring a
    // spent refresh token back to life, and using it ends the session in every tab. So the user is
    // stored only beside the same session, as it is stored now.
    const stored = readStoredAuth();
    if (stored.refreshToken === get().refreshToken && stored.accessToken === get().accessToken) {
      write({ ...stored, user: u });
    }
    set({ user: u });
  },
  clear: (expired = false) => {
    write(empty);
    void forgetRotations();
    set({ ...empty, expired });
  },
}));

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === AUTH_KEY || e.key === null) useAuth.setState(readStoredAuth());
  });
}
