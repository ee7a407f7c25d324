import { useEffect, useId, useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { Link } from 'react-router';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Page } from '../api/types';
import { useLang, useT, type MessageKey } from '../i18n';
import { errorText, fieldErrorsText, isNetworkError } from '../lib/errors';
import { srcSetOf } from '../api/media';

export function cx(...parts: (string | false | null | undefined)[]) {
  return parts.filter(Boolean).join(' ');
}

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';
const variants: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-700 disabled:bg-indigo-300',
  secondary: 'bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'bg-white text-red-700 ring-1 ring-inset ring-red-300 hover:bg-red-50 disabled:text-red-300',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
};

export function Button({ variant = 'primary', className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      type="button"
      {...rest}
      className={cx(
        'inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed',
        variants[variant],
        className,
      )}
    />
  );
}

export function ButtonLink({ to, variant = 'primary', className, children }: { to: string; variant?: Variant; className?: string; children: ReactNode }) {
  return (
    <Link
      to={to}
      className={cx(
        'inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600',
        variants[variant],
        className,
      )}
    >
      {children}
    </Link>
  );
}

const inputClass =
  'block w-full rounded-lg border-0 bg-white px-3 py-2 text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-[invalid=true]:ring-red-500 text-base sm:text-sm';

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  className?: string;
}

function FieldShell({ id, label, error, hint, className, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-600" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: string) {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

export function TextField({ label, error, hint, className, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={className}>
      <input id={id} aria-invalid={!!error} aria-describedby={describedBy(id, error, hint)} className={inputClass} {...rest} />
    </FieldShell>
  );
}

export function TextArea({ label, error, hint, className, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={className}>
      <textarea id={id} aria-invalid={!!error} aria-describedby={describedBy(id, error, hint)} className={inputClass} rows={6} {...rest} />
    </FieldShell>
  );
}

export function SelectField({ label, error, hint, className, children, ...rest }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={className}>
      <select id={id} aria-invalid={!!error} aria-describedby={describedBy(id, error, hint)} className={inputClass} {...rest}>
        {children}
      </select>
    </FieldShell>
  );
}

/**
 * Shows a server or network error in the user's language (codes are never shown). A validation
 * error's field problems are listed unless a field of the form shows them (`hideFields`). A lost
 * network retries by itself when the browser is back online.
 */
export function ErrorBox({ error, onRetry, hideFields }: { error: unknown; onRetry?: () => void; hideFields?: Iterable<string> }) {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const network = isNetworkError(error);
  useEffect(() => {
    if (!network || !onRetry) return;
    window.addEventListener('online', onRetry);
    return () => window.removeEventListener('online', onRetry);
  }, [network, onRetry]);
  if (!error) return null;
  const hidden = new Set(hideFields ?? []);
  const all = Object.entries(fieldErrorsText(error, lang));
  const problems = all.filter(([field]) => !hidden.has(field));
  let message = errorText(error, lang);
  if (all.length > 0 && problems.length > 0) message = t('error.VALIDATION_ERROR');
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <p className="font-medium">{message}</p>
      {problems.length > 0 && (
        <ul className="mt-1 list-inside list-disc text-red-700">
          {problems.map(([field, msg]) => (
            <li key={field}>
              {field}: {msg}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry} className="mt-2 text-sm font-semibold underline">
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** A form's error: the envelope's, without the field problems its fields already show. */
export function FormError({ form }: { form: { error: unknown; fields: Set<string> } }) {
  return <ErrorBox error={form.error} hideFields={form.fields} />;
}

export function Notice({ children, tone = 'success' }: { children: ReactNode; tone?: 'success' | 'info' }) {
  return (
    <div
      role="status"
      className={cx(
        'rounded-lg border p-3 text-sm',
        tone === 'success' ? 'border-emerald-200 bg-emerald-50 text-emerald-800' : 'border-sky-200 bg-sky-50 text-sky-800',
      )}
    >
      {children}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <div role="status" className="flex items-center gap-2 py-8 text-slate-500">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" aria-hidden />
      {t('common.loading')}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const t = useT();
  return <p className="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-500">{children ?? t('common.empty')}</p>;
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{children}</h1>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

export function Card({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cx('rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-6', className)}>{children}</div>;
}

export function Pagination({ page, limit, total, onPage }: { page: number; limit: number; total: number; onPage: (p: number) => void }) {
  const t = useT();
  const pages = Math.max(1, Math.ceil(total / limit));
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pagination" className="mt-6 flex items-center justify-center gap-3">
      <Button variant="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('common.prev')}
      </Button>
      <span className="text-sm text-slate-600">{t('common.pageOf', { page, pages })}</span>
      <Button variant="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('common.next')}
      </Button>
    </nav>
  );
}

// A list page's search box: the draft is kept while typing and sent as ?q= on submit; other fields
// of the page (filters, sort) go between the box and the button.
export function SearchForm({ value, onChange, onSearch, placeholder, className, children }: { value: string; onChange: (value: string) => void; onSearch: (q: string) => void; placeholder: string; className?: string; children?: ReactNode }) {
  const t = useT();
  return (
    <form
      role="search"
      className={cx('flex flex-col gap-3 sm:flex-row sm:items-end', className)}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(value.trim());
      }}
    >
      <TextField className="flex-1" label={t('common.search')} type="search" placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />
      {children}
      <Button type="submit">{t('common.search')}</Button>
    </form>
  );
}

// A paged list's states: loading, an error with a retry, empty (`empty`, else the common text), or
// the count (unless `count` is false), the items and the pager.
export function PagedList<T>({ query, onPage, children, empty, count = true }: { query: UseQueryResult<Page<T>>; onPage: (page: number) => void; children: (items: T[]) => ReactNode; empty?: ReactNode; count?: boolean }) {
  const t = useT();
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorBox error={query.error} onRetry={() => query.refetch()} />;
  const { items, total, page, limit } = query.data;
  if (items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      {count && <p className="mb-3 text-sm text-slate-500">{t('common.results', { count: total })}</p>}
      {children(items)}
      <Pagination page={page} limit={limit} total={total} onPage={onPage} />
    </>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const v = Math.max(0, Math.min(100, value));
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(v)}
      aria-label={label}
      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className={cx('h-full rounded-full', value >= 100 ? 'bg-emerald-500' : 'bg-indigo-600')} style={{ width: `${v}%` }} />
    </div>
  );
}

const badgeTones: Record<string, string> = {
  active: 'bg-indigo-50 text-indigo-700 ring-indigo-200',
  successful: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  failed: 'bg-amber-50 text-amber-800 ring-amber-200',
  cancelled: 'bg-slate-100 text-slate-600 ring-slate-300',
  pending: 'bg-amber-50 text-amber-800 ring-amber-200',
  paid: 'bg-sky-50 text-sky-700 ring-sky-200',
  shipped: 'bg-indigo-50 text-indigo-700 ring-indigo-200',
  delivered: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  unpaid: 'bg-amber-50 text-amber-800 ring-amber-200',
  refunded: 'bg-slate-100 text-slate-600 ring-slate-300',
  online: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  offline: 'bg-slate-100 text-slate-600 ring-slate-300',
};

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `status.${status}` as MessageKey;
  const label = t(key) === key ? status : t(key);
  return (
    <span className={cx('inline-flex shrink-0 items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', badgeTones[status] ?? badgeTones.cancelled)}>
      {label}
    </span>
  );
}

export function Tag({ children }: { children: ReactNode }) {
  return <span className="inline-flex items-center rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">{children}</span>;
}

/**
 * User-written text (posts, comments, descriptions): rendered by React as text, so markup like
 * `<script>` shows literally and never runs. Line breaks are kept.
 */
export function UserText({ text, className }: { text: string; className?: string }) {
  return <div className={cx('whitespace-pre-wrap break-words', className)}>{text}</div>;
}

/**
 * Image that only loads http(s) or same-origin sources and shows the fallback when missing or broken.
 * An uploaded image (/media/…) offers its thumb and medium variants, so the browser loads the
 * smallest that fills `sizes`.
 */
export function SafeImage({ src, alt, className, fallback, sizes = '(min-width: 1024px) 25vw, (min-width: 640px) 50vw, 100vw' }: { src: string | null | undefined; alt: string; className?: string; fallback?: ReactNode; sizes?: string }) {
  const [broken, setBroken] = useState<string | null>(null);
  const ok = !!src && /^(https?:\/\/|\/(?!\/))/i.test(src) && broken !== src;
  if (!ok) return <>{fallback ?? null}</>;
  const srcSet = srcSetOf(src);
  return <img src={src} srcSet={srcSet} sizes={srcSet ? sizes : undefined} alt={alt} loading="lazy" decoding="async" referrerPolicy="no-referrer" className={className} onError={() => setBroken(src)} />;
}

export function Placeholder({ label, seed, className }: { label: string; seed: string; className?: string }) {
  const hues = [230, 260, 190, 330, 20, 160, 45];
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hues[h % hues.length];
  return (
    <div
      className={cx('flex items-center justify-center text-3xl font-bold text-white/90', className)}
      style={{ background: `linear-gradient(135deg, hsl(${hue} 70% 55%), hsl(${(hue + 40) % 360} 70% 45%))` }}
      aria-hidden
    >
      {label.slice(0, 1).toUpperCase()}
    </div>
  );
}
