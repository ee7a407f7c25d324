import { describe, expect, it } from 'vitest';
import { stepQuantity, typeQuantity } from './quantity';

describe('quantity typing', () => {
  it('lets the field be empty while typing, then takes the new number', () => {
    expect(typeQuantity('', 10)).toEqual({ draft: '', value: null, capped: false });
    expect(typeQuantity('2', 10)).toEqual({ draft: '2', value: 2, capped: false });
  });
  it('keeps digits only', () => {
    expect(typeQuantity('3a', 10).value).toBe(3);
    expect(typeQuantity('-4', 10).value).toBe(4);
    expect(typeQuantity('007', 10)).toEqual({ draft: '7', value: 7, capped: false });
  });
  it('caps at the stock and says it did', () => {
    expect(typeQuantity('12', 5)).toEqual({ draft: '5', value: 5, capped: true });
    expect(typeQuantity('99', null).value).toBe(99);
  });
  it('does not take zero', () => {
    expect(typeQuantity('0', 5)).toEqual({ draft: '0', value: null, capped: false });
  });
  it('steps within bounds', () => {
    expect(stepQuantity(1, -1, 5)).toEqual({ draft: '1', value: 1, capped: false });
    expect(stepQuantity(4, 1, 5)).toEqual({ draft: '5', value: 5, capped: false });
    expect(stepQuantity(5, 1, 5)).toEqual({ draft: '5', value: 5, capped: true });
    // a line above the stock (it sold meanwhile) comes down to the stock at once
    expect(stepQuantity(8, -1, 5)).toEqual({ draft: '5', value: 5, capped: true });
  });
});
