/** Money is carried as integer minor units; these helpers convert for display and input. */

export interface CurrencyInfo {
  currency: string;
  fractionDigits: number;
}

const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(minor: number, info: CurrencyInfo, locale: string): string {
  const fd = clampDigits(info.fractionDigits);
  const key = `${locale}|${info.currency}|${fd}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: info.currency,
        minimumFractionDigits: fd,
        maximumFractionDigits: fd,
      });
    } catch {
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: fd, maximumFractionDigits: fd });
    }
    formatters.set(key, f);
  }
  return f.format(toMajor(minor, fd));
}

function clampDigits(fd: number): number {
  return Number.isInteger(fd) && fd >= 0 && fd <= 6 ? fd : 0;
}

/** minor → major as a number, exact for display (string arithmetic avoids float drift). */
export function toMajor(minor: number, fractionDigits: number): number {
  const fd = clampDigits(fractionDigits);
  if (fd === 0) return minor;
  const neg = minor < 0;
  const s = Math.abs(Math.trunc(minor)).toString().padStart(fd + 1, '0');
  const major = `${s.slice(0, s.length - fd)}.${s.slice(s.length - fd)}`;
  return Number(neg ? `-${major}` : major);
}

/** A major-unit string for an input field, e.g. 1250 with 2 digits → "12.50". */
export function minorToInput(minor: number, fractionDigits: number): string {
  const fd = clampDigits(fractionDigits);
  if (fd === 0) return String(minor);
  const s = Math.abs(minor).toString().padStart(fd + 1, '0');
  return `${minor < 0 ? '-' : ''}${s.slice(0, s.length - fd)}.${s.slice(s.length - fd)}`;
}

/**
 * Parses what a user typed ("12,000", "12.5", "₩ 3000") into minor units.
 * Returns null when it is not a non-negative amount with at most `fractionDigits` decimals
 * or when it exceeds 2^53-1.
 */
export function parseMoney(input: string, fractionDigits: number): number | null {
  const fd = clampDigits(fractionDigits);
  const cleaned = input.replace(/[\s,_]/g, '').replace(/^[^\d.-]+/, '');
  if (cleaned === '') return null;
  const m = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!m) return null;
  const whole = m[1] ?? '';
  const frac = m[2] ?? '';
  if (whole === '' && frac === '') return null;
  if (frac.length > fd) return null;
  const digits = (whole + frac.padEnd(fd, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 16) return null;
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return null;
  return n;
}
