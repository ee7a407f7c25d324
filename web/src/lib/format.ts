export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function daysLeft(iso: string, now = Date.now()): number {
  const t = new Date(iso).getTime();
  return Math.max(0, Math.ceil((t - now) / 86_400_000));
}

export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.floor((part / whole) * 100);
}

export function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// The short form of an id shown beside an order or a payment ("#3f9c2a71"): its last 8 hex digits.
// Orders' ids are UUID v7, whose first 8 digits are the time in units of 65 s, the same for every
// order of that minute; the last ones are random in v7 and v4 alike.
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-8);
}
