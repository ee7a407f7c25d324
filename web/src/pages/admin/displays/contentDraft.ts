import type { Content, SimpleContent, SimpleContentType } from '../../../api/types';
import { type MessageKey } from '../../../i18n';
import { randomId } from '../../../lib/format';
import type { Errors } from '../../../lib/validate';

export type ItemDraft = { key: string; type: SimpleContentType; value: string; duration: string };

export type ContentDraft = { kind: 'single'; item: ItemDraft } | { kind: 'playlist'; items: ItemDraft[] };

export const TYPES: SimpleContentType[] = ['text', 'image', 'video', 'url', 'html'];

export function itemDraft(c?: SimpleContent): ItemDraft {
  return { key: randomId(), type: c?.type ?? 'text', value: c?.value ?? '', duration: c?.durationSeconds ? String(c.durationSeconds) : '' };
}

export function toDraft(c: Content | null | undefined): ContentDraft {
  if (c && c.type === 'playlist') return { kind: 'playlist', items: c.items.filter((i): i is SimpleContent => i.type !== 'playlist').map(itemDraft) };
  return { kind: 'single', item: itemDraft(c ?? undefined) };
}

export function validateDraft(d: ContentDraft, prefix: string, t: (k: MessageKey) => string, errs: Errors): Content | null {
  const one = (it: ItemDraft, p: string): SimpleContent | null => {
    let ok = true;
    if (!it.value.trim()) {
      errs[`${p}value`] = t('signage.valueRequired');
      ok = false;
    } else if ((it.type === 'image' || it.type === 'video' || it.type === 'url') && !/^https?:\/\//i.test(it.value.trim()) && !it.value.trim().startsWith('/')) {
      errs[`${p}value`] = 'http(s)://…';
      ok = false;
    }
    const dur = it.duration.trim() ? Number(it.duration) : undefined;
    if (dur !== undefined && (!Number.isInteger(dur) || dur < 1)) {
      errs[`${p}durationSeconds`] = '≥ 1';
      ok = false;
    }
    if (!ok) return null;
    return { type: it.type, value: it.type === 'html' || it.type === 'text' ? it.value : it.value.trim(), ...(dur !== undefined ? { durationSeconds: dur } : {}) };
  };
  if (d.kind === 'single') return one(d.item, prefix);
  if (d.items.length === 0) {
    errs[`${prefix}items`] = t('signage.playlistEmpty');
    return null;
  }
  const items = d.items.map((it, i) => one(it, `${prefix}items[${i}].`));
  return items.every(Boolean) ? { type: 'playlist', items: items as SimpleContent[] } : null;
}

export function swap<T>(a: T[], i: number, j: number): T[] {
  const b = a.slice();
  [b[i], b[j]] = [b[j], b[i]];
  return b;
}
