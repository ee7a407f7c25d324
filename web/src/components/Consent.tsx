import { useId } from 'react';
import { Link } from 'react-router';
import { useT, type MessageKey } from '../i18n';

/**
 * A required agreement (registration: the terms and the privacy policy; checkout: the purchase
 * and the refund policy): a checkbox with its sentence, the policies to read (opening in a new tab,
 * so the form keeps what was typed), and the form's error for it.
 */
export function Consent({ label, policies, checked, onChange, error, name, onInput }: {
  label: string;
  policies: { to: string; label: MessageKey }[];
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
  name?: string;
  onInput?: () => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200">
      <div className="flex items-start gap-2">
        <input
          id={id}
          name={name}
          type="checkbox"
          className="mt-0.5 h-5 w-5 shrink-0 accent-indigo-600"
          checked={checked}
          onChange={(e) => {
            onInput?.();
            onChange(e.target.checked);
          }}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
          required
        />
        <label htmlFor={id} className="text-sm text-slate-800">
          {label}
        </label>
      </div>
      <p className="mt-1 pl-7 text-xs text-slate-600">
        {t('legal.read')}{' '}
        {policies.map((p, i) => (
          <span key={p.to}>
            {i > 0 && ' · '}
            <Link to={p.to} target="_blank" rel="noopener" className="font-medium text-indigo-700 underline-offset-2 hover:underline">
              {t(p.label)}
            </Link>
          </span>
        ))}
      </p>
      {error && (
        <p id={`${id}-error`} className="mt-1 pl-7 text-sm text-red-600" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
