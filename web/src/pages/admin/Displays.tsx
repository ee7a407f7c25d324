import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { create } from 'zustand';
import { api, qs } from '../../api/client';
import type { Content, Display, Page, Schedule, ScheduleEntry, SimpleContent, SimpleContentType, Weekday } from '../../api/types';
import { useT, type MessageKey } from '../../i18n';
import { useDates, useSubmit } from '../../hooks';
import { randomId } from '../../lib/format';
import type { Errors } from '../../lib/validate';
import { Button, Card, Empty, ErrorBox, Loading, Notice, Pagination, SelectField, StatusBadge, TextArea, TextField, cx } from '../../components/ui';

/** Device tokens seen in this tab (they are shown once by the server); kept in memory only. */
const useTokens = create<{ tokens: Record<string, string>; set: (id: string, token: string) => void }>((set) => ({
  tokens: {},
  set: (id, token) => set((s) => ({ tokens: { ...s.tokens, [id]: token } })),
}));

const playerUrl = (id: string, token: string) => `/signage/player/${id}?token=${encodeURIComponent(token)}`;

function TokenPanel({ displayId, token }: { displayId: string; token: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-xl border border-amber-300 bg-amber-50 p-4" role="region" aria-label={t('signage.tokenTitle')}>
      <p className="font-semibold text-amber-900">{t('signage.tokenTitle')}</p>
      <p className="mb-2 text-sm text-amber-800">{t('signage.tokenOnce')}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs ring-1 ring-amber-200" data-testid="device-token">
          {token}
        </code>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(token).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? t('signage.copied') : t('signage.copy')}
        </Button>
        <a href={playerUrl(displayId, token)} target="_blank" rel="noopener" className="text-sm font-semibold text-indigo-700 underline">
          {t('signage.openPlayer')}
        </a>
      </div>
    </div>
  );
}

export function AdminDisplaysPage() {
  const t = useT();
  const { dateTime } = useDates();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const setToken = useTokens((s) => s.set);
  const [page, setPage] = useState(1);
  const [name, setName] = useState('');
  const [location, setLocation] = useState('');
  const form = useSubmit();
  const list = useQuery({ queryKey: ['displays', page], queryFn: () => api<Page<Display>>(`/signage/displays${qs({ page, limit: 20 })}`), refetchInterval: 10_000 });

  const submit = form.submit(
    (errs) => {
      if (!name.trim()) errs.name = t('common.required');
      if (!location.trim()) errs.location = t('common.required');
    },
    async () => {
      const r = await api<{ display: Display; deviceToken: string }>('/signage/displays', { method: 'POST', body: { name: name.trim(), location: location.trim() } });
      setToken(r.display.id, r.deviceToken);
      qc.invalidateQueries({ queryKey: ['displays'] });
      setName('');
      setLocation('');
      navigate(`/admin/displays/${r.display.id}`);
    },
  );

  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('signage.newDisplay')}</h2>
        <form onSubmit={submit} noValidate className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
          <TextField label={t('signage.name')} name="name" value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} />
          <TextField label={t('signage.location')} name="location" value={location} onChange={(e) => setLocation(e.target.value)} error={form.errors.location} />
          <Button type="submit" disabled={form.busy} className="sm:mt-6">
            {t('common.create')}
          </Button>
        </form>
        <div className="mt-3">
          <ErrorBox error={form.error} />
        </div>
      </Card>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorBox error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty />
      ) : (
        <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
          {list.data.items.map((d) => (
            <li key={d.id}>
              <Link to={`/admin/displays/${d.id}`} className="block rounded-2xl bg-white p-4 ring-1 ring-slate-200 hover:ring-indigo-300">
                <div className="flex items-center justify-between gap-2">
                  <span className="font-semibold">{d.name}</span>
                  <StatusBadge status={d.status} />
                </div>
                <p className="text-sm text-slate-500">{d.location}</p>
                <p className="mt-2 text-xs text-slate-500">
                  {t('signage.lastSeen')}: {d.lastSeenAt ? dateTime(d.lastSeenAt) : t('signage.never')} · {t('signage.version', { v: d.contentVersion })}
                </p>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {list.data && <Pagination page={list.data.page} limit={list.data.limit} total={list.data.total} onPage={setPage} />}
    </div>
  );
}

export function AdminDisplayPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { dateTime } = useDates();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const token = useTokens((s) => s.tokens[id]);
  const setToken = useTokens((s) => s.set);
  const q = useQuery({ queryKey: ['display', id], queryFn: () => api<Display>(`/signage/displays/${id}`), refetchInterval: 10_000 });
  const rotate = useMutation({
    mutationFn: () => api<{ deviceToken: string }>(`/signage/displays/${id}/token`, { method: 'POST' }),
    onSuccess: (r) => setToken(id, r.deviceToken),
  });
  const del = useMutation({
    mutationFn: () => api(`/signage/displays/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['displays'] });
      navigate('/admin/displays');
    },
  });

  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => q.refetch()} />;
  const d = q.data;
  const onSaved = (nd: Display) => {
    qc.setQueryData(['display', id], nd);
    qc.invalidateQueries({ queryKey: ['displays'] });
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <Link to="/admin/displays" className="text-sm text-indigo-700 hover:underline">
          ← {t('admin.displays')}
        </Link>
        <h2 className="text-xl font-bold">{d.name}</h2>
        <StatusBadge status={d.status} />
        <span className="text-sm text-slate-500">
          {t('signage.version', { v: d.contentVersion })} · {t('signage.lastSeen')}: {d.lastSeenAt ? dateTime(d.lastSeenAt) : t('signage.never')}
        </span>
      </div>
      {token && <TokenPanel displayId={id} token={token} />}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <RenameForm display={d} onSaved={onSaved} />
        <Card>
          <h3 className="mb-3 font-semibold">{t('signage.tokenTitle')}</h3>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={rotate.isPending} onClick={() => window.confirm(t('signage.rotateConfirm')) && rotate.mutate()}>
              {t('signage.rotate')}
            </Button>
            <Button variant="danger" disabled={del.isPending} onClick={() => window.confirm(t('signage.deleteConfirm')) && del.mutate()}>
              {t('common.delete')}
            </Button>
          </div>
          <div className="mt-3">
            <ErrorBox error={rotate.error || del.error} />
          </div>
          <p className="mt-4 text-sm text-slate-600">
            {t('signage.activeContent')}: <span className="font-medium">{describe(d.activeContent, t)}</span>
          </p>
        </Card>
      </div>
      <ContentForm display={d} onSaved={onSaved} />
      <ScheduleForm display={d} onSaved={onSaved} />
    </div>
  );
}

function describe(c: Content | null, t: (k: MessageKey, v?: Record<string, string | number>) => string): string {
  if (!c) return t('signage.noContent');
  if (c.type === 'playlist') return `${t('signage.type.playlist')} (${c.items.length})`;
  const v = c.value.length > 60 ? `${c.value.slice(0, 60)}…` : c.value;
  return `${t(`signage.type.${c.type}` as MessageKey)}: ${v}`;
}

function RenameForm({ display, onSaved }: { display: Display; onSaved: (d: Display) => void }) {
  const t = useT();
  const [name, setName] = useState(display.name);
  const [location, setLocation] = useState(display.location);
  const form = useSubmit();
  const submit = form.submit(
    (errs) => {
      if (!name.trim()) errs.name = t('common.required');
    },
    async () => onSaved(await api<Display>(`/signage/displays/${display.id}`, { method: 'PUT', body: { name: name.trim(), location: location.trim() } })),
  );
  return (
    <Card>
      <h3 className="mb-3 font-semibold">{t('signage.rename')}</h3>
      <form onSubmit={submit} noValidate className="space-y-3">
        <TextField label={t('signage.name')} value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} />
        <TextField label={t('signage.location')} value={location} onChange={(e) => setLocation(e.target.value)} error={form.errors.location} />
        <ErrorBox error={form.error} />
        {form.done && <Notice>{t('common.saved')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {t('common.save')}
        </Button>
      </form>
    </Card>
  );
}

// ---- content editor -------------------------------------------------------------------------

type ItemDraft = { key: string; type: SimpleContentType; value: string; duration: string };
type ContentDraft = { kind: 'single'; item: ItemDraft } | { kind: 'playlist'; items: ItemDraft[] };

const TYPES: SimpleContentType[] = ['text', 'image', 'video', 'url', 'html'];

function itemDraft(c?: SimpleContent): ItemDraft {
  return { key: randomId(), type: c?.type ?? 'text', value: c?.value ?? '', duration: c?.durationSeconds ? String(c.durationSeconds) : '' };
}

function toDraft(c: Content | null | undefined): ContentDraft {
  if (c && c.type === 'playlist') return { kind: 'playlist', items: c.items.filter((i): i is SimpleContent => i.type !== 'playlist').map(itemDraft) };
  return { kind: 'single', item: itemDraft(c ?? undefined) };
}

function validateDraft(d: ContentDraft, prefix: string, t: (k: MessageKey) => string, errs: Errors): Content | null {
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

function ItemEditor({ item, onChange, errors, prefix, legend, children }: { item: ItemDraft; onChange: (p: Partial<ItemDraft>) => void; errors: Errors; prefix: string; legend?: string; children?: ReactNode }) {
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
      ) : (
        <TextField label={t('signage.value')} type="url" value={item.value} onChange={(e) => onChange({ value: e.target.value })} error={errors[`${prefix}value`]} placeholder="https://" />
      )}
      <TextField label={t('signage.duration')} inputMode="numeric" value={item.duration} placeholder="10" onChange={(e) => onChange({ duration: e.target.value })} error={errors[`${prefix}durationSeconds`]} />
      {children && <div className="flex flex-wrap gap-1 sm:col-span-3">{children}</div>}
    </fieldset>
  );
}

function ContentEditor({ draft, onChange, errors, prefix }: { draft: ContentDraft; onChange: (d: ContentDraft) => void; errors: Errors; prefix: string }) {
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

function swap<T>(a: T[], i: number, j: number): T[] {
  const b = a.slice();
  [b[i], b[j]] = [b[j], b[i]];
  return b;
}

function ContentForm({ display, onSaved }: { display: Display; onSaved: (d: Display) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<ContentDraft>(() => toDraft(display.content));
  const form = useSubmit();
  const submit = form.submit(
    (errs) => validateDraft(draft, '', t, errs),
    async (content) => onSaved(await api<Display>(`/signage/displays/${display.id}/content`, { method: 'PUT', body: content })),
  );
  return (
    <Card>
      <h3 className="mb-3 font-semibold">{t('signage.content')}</h3>
      <form onSubmit={submit} noValidate className="space-y-3" aria-label={t('signage.content')}>
        <ContentEditor draft={draft} onChange={setDraft} errors={form.errors} prefix="" />
        <ErrorBox error={form.error} />
        {form.done && <Notice>{t('common.saved')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {t('signage.setContent')}
        </Button>
      </form>
    </Card>
  );
}

// ---- schedule editor ------------------------------------------------------------------------

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

function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function ScheduleForm({ display, onSaved }: { display: Display; onSaved: (d: Display) => void }) {
  const t = useT();
  const [timezone, setTimezone] = useState(display.schedule?.timezone ?? localTimeZone());
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
      onSaved(await api<Display>(`/signage/displays/${display.id}/schedule`, { method: 'PUT', body }));
    },
  );

  return (
    <Card>
      <h3 className="mb-1 font-semibold">{t('signage.schedule')}</h3>
      <p className="mb-3 text-sm text-slate-500">{t('signage.clearSchedule')}</p>
      <form onSubmit={submit} noValidate className="space-y-4" aria-label={t('signage.schedule')}>
        <TextField className="max-w-xs" label={t('signage.timezone')} value={timezone} onChange={(e) => setTimezone(e.target.value)} error={form.errors.timezone} placeholder="Asia/Seoul" />
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
                <TextField label={t('signage.start')} type="time" value={en.start} onChange={(e) => setEntry(i, { start: e.target.value })} error={form.errors[`${p}start`]} />
                <TextField label={t('signage.end')} type="time" value={en.end} onChange={(e) => setEntry(i, { end: e.target.value })} error={form.errors[`${p}end`]} />
                <TextField label={t('signage.priority')} inputMode="numeric" value={en.priority} onChange={(e) => setEntry(i, { priority: e.target.value })} error={form.errors[`${p}priority`]} />
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
        <ErrorBox error={form.error} />
        {form.done && <Notice>{t('common.saved')}</Notice>}
      </form>
    </Card>
  );
}
