import { describe, expect, it } from 'vitest';
import { isVideoUrl, srcSetOf, variantsOf } from './media';

describe('uploaded image variants', () => {
  const stem = '0123456789abcdef0123456789abcdef';
  it('an upload URL has thumb and medium variants', () => {
    expect(variantsOf(`/media/${stem}.webp`)).toEqual({ thumb: `/media/${stem}-thumb.webp`, medium: `/media/${stem}-medium.webp` });
    expect(srcSetOf(`/media/${stem}.webp`)).toBe(`/media/${stem}-thumb.webp 320w, /media/${stem}-medium.webp 1280w`);
  });
  it('other URLs, videos and variants themselves have none', () => {
    for (const url of ['https://example.com/a.webp', `/media/${stem}.mp4`, `/media/${stem}-thumb.webp`, '', null, undefined]) {
      expect(variantsOf(url)).toBeNull();
      expect(srcSetOf(url)).toBeUndefined();
    }
  });
  it('videos are told by their extension', () => {
    expect(isVideoUrl(`/media/${stem}.mp4`)).toBe(true);
    expect(isVideoUrl('https://x.test/clip.webm?t=1')).toBe(true);
    expect(isVideoUrl(`/media/${stem}.webp`)).toBe(false);
  });
});
