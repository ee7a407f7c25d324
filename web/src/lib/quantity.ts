// A quantity field's typing: the draft may be empty while typing (backspace, then "2" gives 2, not
// 12), only digits count, and the value is capped at what is in stock, saying so.

export interface QuantityStep {
  /** what the field shows */
  draft: string;
  /** the quantity to use, or null while the field is empty (the last good value stays) */
  value: number | null;
  /** the typed or stepped amount was above max and was lowered to it */
  capped: boolean;
}

/** The field after typing `typed`, with at least `min` and at most `max` (null: no upper limit). */
export function typeQuantity(typed: string, max: number | null, min = 1): QuantityStep {
  const digits = typed.replace(/[^0-9]/g, '').replace(/^0+(?=\d)/, '');
  if (digits === '') return { draft: '', value: null, capped: false };
  let n = Number(digits.slice(0, 9));
  let capped = false;
  if (max !== null && n > max) {
    n = Math.max(min, max);
    capped = true;
  }
  if (n < min) return { draft: digits, value: null, capped: false };
  return { draft: String(n), value: n, capped };
}

/** One more or one less than `value`, kept within min..max. */
export function stepQuantity(value: number, delta: 1 | -1, max: number | null, min = 1): QuantityStep {
  const want = value + delta;
  if (max !== null && want > max) {
    const n = Math.max(min, max);
    return { draft: String(n), value: n, capped: true };
  }
  const n = Math.max(min, want);
  return { draft: String(n), value: n, capped: false };
}
