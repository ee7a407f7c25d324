export type Errors = Record<string, string>;

export const isEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());

export function hasErrors(e: Errors) {
  return Object.keys(e).length > 0;
}

/** The login page, sending the user back to `next` (a path in the app) once logged in. */
export function loginPath(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`;
}

export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login') || next.startsWith('/register')) return '/';
  return next;
}
