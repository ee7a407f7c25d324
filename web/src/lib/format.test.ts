import { describe, expect, it } from 'vitest';
import { shortId } from './format';

describe('shortId', () => {
  it('tells apart orders of the same minute (UUID v7 ids share their first 8 digits)', () => {
    // Two v7 ids made 2 ms apart: the same first 8 digits, different random tails.
    const a = '019af4a2-3b10-7c4e-9a1d-5e2f8b7c6d01';
    const b = '019af4a2-3b12-7d01-8f3e-0a9b1c2d3e4f';
    expect(a.slice(0, 8)).toBe(b.slice(0, 8));
    expect(shortId(a)).toBe('8b7c6d01');
    expect(shortId(b)).toBe('1c2d3e4f');
    expect(shortId(a)).not.toBe(shortId(b));
  });

  it('is the last 8 hex digits of any id', () => {
    expect(shortId('3f9c2a71-0000-4000-8000-00000000abcd')).toBe('0000abcd');
    expect(shortId('abc')).toBe('abc');
  });
});
