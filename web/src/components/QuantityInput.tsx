import { useEffect, useId, useState } from 'react';
import { useT } from '../i18n';
import { stepQuantity, typeQuantity, type QuantityStep } from '../lib/quantity';
import { cx } from './ui';

/**
 * A quantity: − and + buttons around a numeric field that may be empty while typing. The value is
 * capped at `max` (the stock), and `maxReason` says why once the user tries to go past it.
 */
export function QuantityInput({ value, onChange, max, maxReason, label, labelHidden = false, disabled = false, className }: {
  value: number;
  onChange: (n: number) => void;
  max: number | null;
  maxReason: string;
  label: string;
  labelHidden?: boolean;
  disabled?: boolean;
  className?: string;
}) {
  const t = useT();
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  const [capped, setCapped] = useState(false);
  useEffect(() => {
    setDraft((d) => (d === '' ? d : String(value)));
  }, [value]);
  useEffect(() => {
    if (max !== null && value < max) setCapped(false);
  }, [value, max]);
  const apply = (s: QuantityStep) => {
    setDraft(s.draft);
    setCapped(s.capped);
    if (s.value !== null && s.value !== value) onChange(s.value);
  };
  const atMax = max !== null && value >= max;
  const btn = 'grid h-10 w-10 place-items-center text-lg font-semibold text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-300 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600';
  return (
    <div className={className}>
      <label htmlFor={id} className={cx('mb-1 block text-sm font-medium text-slate-700', labelHidden && 'sr-only')}>
        {label}
      </label>
      <div className="inline-flex items-stretch overflow-hidden rounded-lg bg-white ring-1 ring-inset ring-slate-300">
        <button type="button" className={cx(btn, 'rounded-l-lg')} aria-label={t('qty.decrease')} aria-controls={id} disabled={disabled || value <= 1} onClick={() => apply(stepQuantity(value, -1, max))}>
          −
        </button>
        <input
          id={id}
          type="text"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          className="w-12 border-x border-slate-200 text-center text-base tabular-nums focus:outline-none focus:ring-2 focus:ring-inset focus:ring-indigo-600 sm:text-sm"
          value={draft}
          disabled={disabled}
          aria-describedby={capped ? `${id}-max` : undefined}
          onChange={(e) => apply(typeQuantity(e.target.value, max))}
          onBlur={() => {
            if (draft === '' || draft === '0') setDraft(String(value));
          }}
        />
        <button
          type="button"
          className={cx(btn, 'rounded-r-lg')}
          aria-label={t('qty.increase')}
          aria-controls={id}
          disabled={disabled}
          onClick={() => (atMax ? setCapped(true) : apply(stepQuantity(value, 1, max)))}
        >
          +
        </button>
      </div>
      {capped && (
        <p id={`${id}-max`} role="status" className="mt-1 text-sm text-amber-800">
          {maxReason}
        </p>
      )}
    </div>
  );
}
