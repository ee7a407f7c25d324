import { describe, expect, it } from 'vitest';
import { durationMs, isWebUrl, playItems } from './signage';

describe('signage helpers', () => {
  it('flattens playlists', () => {
    const items = playItems({
      type: 'playlist',
      items: [
        { type: 'text', value: 'a' },
        { type: 'playlist', items: [{ type: 'image', value: 'https://x/y.png', durationSeconds: 3 }] },
      ],
    });
    expect(items.map((i) => i.value)).toEqual(['a', 'https://x/y.png']);
    expect(playItems(null)).toEqual([]);
  });
  it('defaults durations to 10 s', () => {
    expect(durationMs({ type: 'text', value: 'a' })).toBe(10_000);
    expect(durationMs({ type: 'text', value: 'a', durationSeconds: 2 })).toBe(2000);
    expect(durationMs({ type: 'text', value: 'a', durationSeconds: 0 })).toBe(10_000);
  });
  it('accepts only web URLs', () => {
    expect(isWebUrl('https://example.com/a.mp4')).toBe(true);
    expect(isWebUrl('/media/a.png')).toBe(true);
    expect(isWebUrl('javascript:alert(1)')).toBe(false);
    expect(isWebUrl('//evil.example')).toBe(false);
  });
});
