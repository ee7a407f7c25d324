import { type ReactNode } from 'react';
import type { SimpleContentType } from '../../../api/types';
import { useT, type MessageKey } from '../../../i18n';
import type { Errors } from '../../../lib/validate';
import { SelectField, TextArea, TextField } from '../../../components/ui';
import { ItemDraft, TYPES } from './contentDraft';
import { MediaPicker } from '../../../components/MediaPicker';
import { isVideoUrl } from '../../../api/media';

export function ItemEditor({ item, onChange, errors, prefix, legend, children }: { item: ItemDraft; onChange: (p: Partial<ItemDraft>) => void; errors: Errors; prefix: string; legend?: string; children?: ReactNode }) {
  const t = useT();
  const multiline = item.type === 'text' || item.type === 'html';
  return (
    <fieldset className="grid grid-cols-1 gap-3 rounded-xl bg-slate-50 p-3 ring-1 ring-slate-200 sm:grid-cols-[10rem_1fr_8rem]">
      {legend && <legend className="px-1 text-sm font-semibold text-slate-700">{legend}</legend>}
      <SelectField label={t('signage.contentType')} value={item.type} onChange={(e) => onChange({ type: e.target.value as SimpleContentType })}>
        {TYPES.map((ty) => (
          <option key={ty} value={ty}>
            {t(`signage.type.${ty}` as MessageKey)}
          </option>
        ))}
      </SelectField>
      {multiline ? (
        <TextArea label={t('signage.value')} rows={item.type === 'html' ? 5 : 3} value={item.value} onChange={(e) => onChange({ value: e.target.value })} error={errors[`${prefix}value`]} className="font-mono" />
      ) : item.type === 'image' || item.type === 'video' ? (
        <MediaPicker label={t('signage.value')} video value={item.value} onChange={(url) => onChange({ value: url, ...(url && isVideoUrl(url) !== (item.type === 'video') ? { type: isVideoUrl(url) ? 'video' : 'image' } : {}) })} error={errors[`${prefix}value`]} />
      ) : (
        <TextField label={t('signage.value')} type="url" value={item.value} onChange={(e) => onChange({ value: e.target.value })} error={errors[`${prefix}value`]} placeholder="https://" />
      )}
      <TextField label={t('signage.duration')} inputMode="numeric" value={item.duration} placeholder="10" onChange={(e) => onChange({ duration: e.target.value })} error={errors[`${prefix}durationSeconds`]} />
      {children && <div className="flex flex-wrap gap-1 sm:col-span-3">{children}</div>}
    </fieldset>
  );
}
