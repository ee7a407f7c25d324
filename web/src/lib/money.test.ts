import { describe, expect, it } from 'vitest';
import { formatMoney, minorToInput, parseMoney, toMajor } from './money';

describe('money', () => {
  it('formats KRW without decimals', () => {
    expect(formatMoney(1234567, { currency: 'KRW', fractionDigits: 0 }, 'ko-KR')).toBe('₩1,234,567');
  });
  it('formats USD minor units as dollars and cents', () => {
    expect(formatMoney(123456, { currency: 'USD', fractionDigits: 2 }, 'en-US')).toBe('$1,234.56');
    expect(formatMoney(5, { currency: 'USD', fractionDigits: 2 }, 'en-US')).toBe('$0.05');
  });
  it('converts to major exactly', () => {
    expect(toMajor(1999, 2)).toBe(19.99);
    expect(toMajor(7, 0)).toBe(7);
    expect(minorToInput(1250, 2)).toBe('12.50');
    expect(minorToInput(3, 2)).toBe('0.03');
  });
  it('parses user input', () => {
    expect(parseMoney('12,000', 0)).toBe(12000);
    expect(parseMoney('12.5', 2)).toBe(1250);
    expect(parseMoney('0.07', 2)).toBe(7);
    expect(parseMoney('₩ 3000', 0)).toBe(3000);
    expect(parseMoney('12.5', 0)).toBeNull();
    expect(parseMoney('abc', 0)).toBeNull();
    expect(parseMoney('', 0)).toBeNull();
    expect(parseMoney('-5', 0)).toBeNull();
    expect(parseMoney('99999999999999999', 0)).toBeNull();
  });
});
