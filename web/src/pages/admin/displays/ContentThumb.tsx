import type { Content } from '../../../api/types';
import { useT, type MessageKey } from '../../../i18n';
import { playItems } from '../../../lib/signage';
import { Slide } from '../../signage/Slide';

/** A small still of a display's content: its first item as the player draws it (web pages and HTML by name only). */
export function ContentThumb({ content }: { content: Content | null }) {
  const t = useT();
  const first = content ? playItems(content)[0] : undefined;
  return (
    <div className="relative aspect-video w-28 flex-none overflow-hidden rounded-md bg-black text-white [container-type:size]" aria-hidden data-testid="content-thumb">
      {!first ? (
        <span className="flex h-full items-center justify-center text-[10px] text-slate-400">{t('signage.noContent')}</span>
      ) : first.type === 'url' || first.type === 'html' ? (
        <span className="flex h-full items-center justify-center bg-slate-700 text-xs font-semibold">{t(`signage.type.${first.type}` as MessageKey)}</span>
      ) : (
        <Slide item={first} />
      )}
    </div>
  );
}
