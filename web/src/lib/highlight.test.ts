import { describe, expect, it } from 'vitest';
import { highlightParts } from './highlight';

describe('search highlights', () => {
  it('marks every word of the query, case-insensitively', () => {
    expect(highlightParts('Zebra meets zebracorn', 'zebra')).toEqual([
      { text: 'Zebra', hit: true },
      { text: ' meets ', hit: false },
      { text: 'zebra', hit: true },
      { text: 'corn', hit: false },
    ]);
  });
  it('marks Korean words before their particles', () => {
    expect(highlightParts('서울에서 만나요', '서울')).toEqual([
      { text: '서울', hit: true },
      { text: '에서 만나요', hit: false },
    ]);
  });
  it('takes the words as text, never as a pattern', () => {
    expect(highlightParts('a.b (c)', '.')).toEqual([{ text: 'a.b (c)', hit: false }]);
    expect(highlightParts('a (b)', '(b)')).toEqual([
      { text: 'a (', hit: false },
      { text: 'b', hit: true },
      { text: ')', hit: false },
    ]);
  });
  it('leaves text alone without a query', () => {
    expect(highlightParts('plain', '  ')).toEqual([{ text: 'plain', hit: false }]);
  });
});
