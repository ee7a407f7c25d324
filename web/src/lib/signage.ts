import type { Content, SimpleContent } from '../api/types';

export const DEFAULT_DURATION = 10;

/** The items a player cycles through: a playlist's items flattened, or the single content. */
export function playItems(content: Content | null | undefined): SimpleContent[] {
  if (!content) return [];
  if (content.type === 'playlist') return (content.items ?? []).flatMap((c) => playItems(c));
  return [content];
}

export function durationMs(item: SimpleContent): number {
  const s = Number(item.durationSeconds);
  return (Number.isFinite(s) && s > 0 ? s : DEFAULT_DURATION) * 1000;
}

/** Only web URLs (or same-origin paths) are loaded into media elements and frames. */
export function isWebUrl(v: string): boolean {
  return /^(https?:\/\/|\/(?!\/))/i.test(v.trim());
}

/** A stable identity for content, to restart a playlist only when what is shown changed. */
export function contentKey(content: Content | null | undefined): string {
  return content ? JSON.stringify(content) : '';
}
