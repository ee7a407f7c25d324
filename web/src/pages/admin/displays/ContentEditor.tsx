import { useT } from '../../../i18n';
import type { Errors } from '../../../lib/validate';
import { Button, cx } from '../../../components/ui';
import { ItemEditor } from './ItemEditor';
import { ContentDraft, itemDraft, swap } from './contentDraft';

export function ContentEditor({ draft, onChange, errors, prefix }: { draft: ContentDraft; onChange: (d: ContentDraft) => void; errors: Errors; prefix: string }) {
  const t = useT();
  const kind = draft.kind;
  return (
    <div className="space-y-3">
      <div role="radiogroup" aria-label={t('signage.contentKind')} className="flex gap-2">
        {(['single', 'playlist'] as const).map((k) => (
          <label key={k} className={cx('flex cursor-pointer items-center gap-2 rounded-lg px-3 py-1.5 text-sm ring-1', kind === k ? 'bg-indigo-50 font-semibold text-indigo-700 ring-indigo-300' : 'ring-slate-300')}>
            <input
              type="radio"
              name={`${prefix}kind`}
              checked={kind === k}
              onChange={() =>
                onChange(k === 'single' ? { kind: 'single', item: draft.kind === 'playlist' ? (draft.items[0] ?? itemDraft()) : draft.item } : { kind: 'playlist', items: draft.kind === 'single' ? [draft.item] : draft.items })
              }
            />
            {k === 'single' ? t('signage.content') : t('signage.type.playlist')}
          </label>
        ))}
      </div>
      {draft.kind === 'single' ? (
        <ItemEditor item={draft.item} errors={errors} prefix={prefix} onChange={(p) => onChange({ kind: 'single', item: { ...draft.item, ...p } })} />
      ) : (
        <>
          {draft.items.map((it, i) => (
            <ItemEditor
              key={it.key}
              item={it}
              legend={t('signage.item', { n: i + 1 })}
              errors={errors}
              prefix={`${prefix}items[${i}].`}
              onChange={(p) => onChange({ kind: 'playlist', items: draft.items.map((x, j) => (j === i ? { ...x, ...p } : x)) })}
            >
              <Button variant="ghost" className="px-2 py-1 text-xs" disabled={i === 0} onClick={() => onChange({ kind: 'playlist', items: swap(draft.items, i, i - 1) })}>
                ↑ {t('signage.moveUp')}
              </Button>
              <Button variant="ghost" className="px-2 py-1 text-xs" disabled={i === draft.items.length - 1} onClick={() => onChange({ kind: 'playlist', items: swap(draft.items, i, i + 1) })}>
                ↓ {t('signage.moveDown')}
              </Button>
              <Button variant="ghost" className="px-2 py-1 text-xs text-red-700" onClick={() => onChange({ kind: 'playlist', items: draft.items.filter((_, j) => j !== i) })}>
                {t('common.remove')}
              </Button>
            </ItemEditor>
          ))}
          {errors[`${prefix}items`] && (
            <p className="text-sm text-red-600" role="alert">
              {errors[`${prefix}items`]}
            </p>
          )}
          <Button variant="secondary" onClick={() => onChange({ kind: 'playlist', items: [...draft.items, itemDraft()] })}>
            {t('signage.addItem')}
          </Button>
        </>
      )}
    </div>
  );
}
