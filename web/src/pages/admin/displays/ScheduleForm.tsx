import { useState } from 'react';
import { signageApi } from '../../../api/signage';
import type { Display, Schedule, ScheduleEntry, Weekday } from '../../../api/types';
import { useLang, useT, type MessageKey } from '../../../i18n';
import { useConfig, useSubmit } from '../../../hooks';
import { randomId } from '../../../lib/format';
import { Button, Card, FormError, Notice, TextField, cx } from '../../../components/ui';
import { ContentEditor } from './ContentEditor';
import { ContentDraft, toDraft, validateDraft } from './contentDraft';

const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

type EntryDraft = { key: string; days: Weekday[]; start: string; end: string; priority: string; content: ContentDraft };

function entryDraft(e?: ScheduleEntry): EntryDraft {
  return {
    key: randomId(),
    days: e?.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: e?.start ?? '09:00',
    end: e?.end ?? '18:00',
    priority: String(e?.priority ?? 1),
    content: toDraft(e?.content),
  };
}

// The platform's zone for a new schedule: the server's O4O_TIME_ZONE when set, else Asia/Seoul
// for a Korean install, else the browser's.
function defaultTimeZone(lang: string, configured?: string | null): string {
  if (configured) return configured;
  if (lang === 'ko') return 'Asia/Seoul';
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

// Every IANA zone the browser knows, for the picker (typing any other name stays possible).
const ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
})();

export function ScheduleForm({ display, onSaved }: { display: Display; onSaved: (d: Display) => void }) {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const platformZone = useConfig().timeZone;
  // Until the admin types a zone, a new schedule follows the platform's: /config may arrive after the
  // form is shown, and a zone picked at the first render would stay the browser's for good.
  const [typedZone, setTimezone] = useState<string | null>(display.schedule?.timezone ?? null);
  const timezone = typedZone ?? defaultTimeZone(lang, platformZone);
  const [entries, setEntries] = useState<EntryDraft[]>(() => (display.schedule?.entries ?? []).map(entryDraft));
  const form = useSubmit();
  const setEntry = (i: number, p: Partial<EntryDraft>) => setEntries((es) => es.map((e, j) => (j === i ? { ...e, ...p } : e)));
  const timeRe = /^([01]\d|2[0-3]):[0-5]\d$/;

  const submit = form.submit(
    (errs) => {
      if (!timezone.trim()) errs.timezone = t('common.required');
      const out: ScheduleEntry[] = [];
      entries.forEach((en, i) => {
        const p = `entries[${i}].`;
        if (en.days.length === 0) errs[`${p}days`] = t('signage.daysRequired');
        if (!timeRe.test(en.start)) errs[`${p}start`] = t('signage.timeInvalid');
        if (!timeRe.test(en.end)) errs[`${p}end`] = t('signage.timeInvalid');
        const pr = Number(en.priority);
        if (!Number.isInteger(pr)) errs[`${p}priority`] = '0, 1, 2…';
        const content = validateDraft(en.content, `${p}content.`, t, errs);
        if (content) out.push({ days: DAYS.filter((d) => en.days.includes(d)), start: en.start, end: en.end, priority: pr, content });
      });
      return out;
    },
    async (out) => {
      const body: Schedule = { timezone: timezone.trim(), entries: out };
      onSaved(await signageApi.setSchedule(display.id, body));
    },
  );

  return (
    <Card>
      <h3 className="mb-1 font-semibold">{t('signage.schedule')}</h3>
      <p className="mb-3 text-sm text-slate-500">{t('signage.clearSchedule')}</p>
      <form onSubmit={submit} noValidate className="space-y-4" aria-label={t('signage.schedule')}>
        <TextField className="max-w-xs" label={t('signage.timezone')} list="o4o-time-zones" autoComplete="off" value={timezone} onChange={(e) => setTimezone(e.target.value)} {...form.field('timezone')} hint={t('signage.timezoneHint')} placeholder="Asia/Seoul" />
        <datalist id="o4o-time-zones">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {entries.map((en, i) => {
          const p = `entries[${i}].`;
          return (
            <fieldset key={en.key} className="space-y-3 rounded-xl p-3 ring-1 ring-slate-300">
              <legend className="px-1 text-sm font-semibold">{t('signage.entry', { n: i + 1 })}</legend>
              <div role="group" aria-label={t('signage.days')} className="flex flex-wrap gap-1">
                {DAYS.map((d) => (
                  <label key={d} className={cx('flex cursor-pointer items-center gap-1 rounded-md px-2 py-1 text-sm ring-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600', en.days.includes(d) ? 'bg-indigo-600 text-white ring-indigo-600' : 'ring-slate-300')}>
                    <input
                      type="checkbox"
                      className="sr-only"
                      checked={en.days.includes(d)}
                      onChange={(e) => setEntry(i, { days: e.target.checked ? [...en.days, d] : en.days.filter((x) => x !== d) })}
                    />
                    {t(`day.${d}` as MessageKey)}
                  </label>
                ))}
              </div>
              {form.errors[`${p}days`] && <p className="text-sm text-red-600" role="alert">{form.errors[`${p}days`]}</p>}
              <div className="grid grid-cols-3 gap-3">
                <TextField label={t('signage.start')} type="time" value={en.start} onChange={(e) => setEntry(i, { start: e.target.value })} {...form.field(`${p}start`)} />
                <TextField label={t('signage.end')} type="time" value={en.end} onChange={(e) => setEntry(i, { end: e.target.value })} {...form.field(`${p}end`)} />
                <TextField label={t('signage.priority')} inputMode="numeric" value={en.priority} onChange={(e) => setEntry(i, { priority: e.target.value })} {...form.field(`${p}priority`)} />
              </div>
              <ContentEditor draft={en.content} onChange={(c) => setEntry(i, { content: c })} errors={form.errors} prefix={`${p}content.`} />
              <Button variant="ghost" className="text-red-700" onClick={() => setEntries((es) => es.filter((_, j) => j !== i))}>
                {t('common.remove')}
              </Button>
            </fieldset>
          );
        })}
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setEntries((es) => [...es, entryDraft()])}>
            {t('signage.addEntry')}
          </Button>
          <Button type="submit" disabled={form.busy}>
            {t('signage.saveSchedule')}
          </Button>
        </div>
        <FormError form={form} />
        {form.done && <Notice>{t('common.saved')}</Notice>}
      </form>
    </Card>
  );
}
