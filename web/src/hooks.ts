import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { configApi, configKeys } from './api/config';
import type { AppConfig } from './api/types';
import { useLang, useLocale, useT, type MessageKey } from './i18n';
import { fieldErrorsText } from './lib/errors';
import { formatMoney } from './lib/money';
import { formatDate, formatDateTime, randomId } from './lib/format';
import { hasErrors, type Errors } from './lib/validate';

const fallbackConfig: AppConfig = { currency: 'KRW', fractionDigits: 0, services: [] };

function useConfigQuery() {
  return useQuery({
    queryKey: configKeys.all,
    queryFn: configApi.get,
    staleTime: Infinity,
    retry: 2,
  });
}

export function useConfig(): AppConfig {
  return useConfigQuery().data ?? fallbackConfig;
}

/** Whether /config has answered (or failed for good, and the fallback is what there is). */
export function useConfigSettled(): boolean {
  return !useConfigQuery().isPending;
}

export function useServiceEnabled(name: string): boolean {
  const { services } = useConfig();
  if (!services || services.length === 0 || services.includes('all')) return true;
  return services.includes(name);
}

/**
 * Whether the server takes payments: /config names its provider, or at least lists the payments
 * service. Servers from before payments do neither, and orders and pledges then stay as they were.
 */
export function usePaymentsEnabled(): boolean {
  const cfg = useConfig();
  return !!cfg.payments?.provider || (cfg.services ?? []).includes('payments');
}

export function useMoney() {
  const cfg = useConfig();
  const locale = useLocale();
  return (minor: number) => formatMoney(minor, cfg, locale);
}

export function useDates() {
  const locale = useLocale();
  return {
    date: (iso: string | null | undefined) => formatDate(iso, locale),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, locale),
  };
}

// A list page's state in the URL (?q=, ?page= and the page's own filters, read from params) and
// the search box's draft, which follows ?q= when it changes.
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);
  // Sets the given parameters (an empty value removes one); any change but the page's own goes
  // back to the first page.
  const update = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };
  return { params, q, page, search, setSearch, update };
}

// A form's submit and what it shows: the field errors (the form's own checks, then the server's
// details, in the user's language), the envelope error for <FormError>, busy while the request runs
// and done once it succeeded. `submit(check, send)` makes the form's onSubmit handler: check fills in
// the field errors and returns what send needs; send runs only when check found nothing, and a submit
// while one is still running is ignored. `onError` is told of a failed send after the errors are
// shown. `field(key)` gives a field its error, its name and an onInput that clears the error as soon
// as the field changes; <FormError form={form}> then leaves out the problems shown by a field.
export function useSubmit() {
  const lang = useLang((s) => s.lang);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const running = useRef(false);
  const fields = useRef(new Set<string>());

  const reset = () => {
    setErrors({});
    setError(null);
    setDone(false);
  };

  const clear = (key: string) => setErrors((e) => (key in e ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== key)) : e));

  const field = (key: string) => {
    fields.current.add(key);
    return { name: key, error: errors[key], onInput: () => clear(key) };
  };

  function submit<T>(check: (errs: Errors) => T, send: (checked: T) => Promise<unknown>, { onError }: { onError?: (err: unknown) => void } = {}) {
    return async (e?: FormEvent) => {
      e?.preventDefault();
      if (running.current) return;
      const errs: Errors = {};
      const checked = check(errs);
      setErrors(errs);
      setError(null);
      setDone(false);
      if (hasErrors(errs)) {
        focusFirstInvalid(e);
        return;
      }
      running.current = true;
      setBusy(true);
      try {
        await send(checked);
        setDone(true);
      } catch (err) {
        setErrors(fieldErrorsText(err, lang));
        setError(err);
        onError?.(err);
      } finally {
        running.current = false;
        setBusy(false);
      }
    };
  }

  return { errors, error, busy, done, submit, reset, clear, field, fields: fields.current };
}

export type FormState = ReturnType<typeof useSubmit>;

// After a submit the form's own checks refused, the first field marked invalid takes the focus.
function focusFirstInvalid(e?: FormEvent) {
  const form = e?.currentTarget as HTMLFormElement | undefined;
  if (!form || typeof form.querySelector !== 'function') return;
  setTimeout(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
}

/** The document's title: `what · O4O` (just O4O without one). */
export function useTitle(what: string | null | undefined) {
  useEffect(() => {
    document.title = what ? `${what} · O4O` : 'O4O';
  }, [what]);
}

/** A translated title for a page whose title is fixed. */
export function usePageTitle(key: MessageKey) {
  const t = useT();
  useTitle(t(key));
}

// The Idempotency-Key of a form that places something (an order, a pledge). Every retry of one
// attempt sends the same key, so that a retry after a lost or late answer is answered with the
// first one instead of placing it twice: the server keeps only successful answers, so after any
// other failure the same key simply runs again. A new key once the attempt is over: it succeeded
// (renew), or the server says the key belongs to another body (afterError).
export function useIdempotencyKey() {
  const [key, setKey] = useState(randomId);
  const renew = () => setKey(randomId());
  const afterError = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'IDEMPOTENCY_CONFLICT') renew();
  };
  return { key, renew, afterError };
}
