import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { mailApi } from '../../api/mail';
import { useT } from '../../i18n';
import { useSubmit } from '../../hooks';
import { Button, Card, ErrorBox, Notice, TextField } from '../../components/ui';
import { useAccountT } from './text';
import { useLinkToken } from './useLinkToken';

/** The page of the reset link: a new password, twice. */
export function ResetPasswordPage() {
  const t = useT();
  const at = useAccountT();
  const token = useLinkToken();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const form = useSubmit();
  const submit = form.submit(
    (errs) => {
      if (password.length < 8) errs.password = t('common.required');
      else if (password !== again) errs.again = at('reset.mismatch');
      return password;
    },
    (p) => mailApi.reset(token ?? '', p),
  );
  const invalid = form.error instanceof ApiError && form.error.code === 'INVALID_TOKEN';
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="mb-6 text-2xl font-bold">{at('reset.title')}</h1>
        {!token ? (
          <Notice tone="info">{at('reset.noToken')}</Notice>
        ) : form.done ? (
          <Notice>{at('reset.done')}</Notice>
        ) : (
          <form onSubmit={submit} noValidate className="space-y-4">
            <TextField label={at('reset.password')} type="password" name="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={form.errors.password} required />
            <TextField label={at('reset.confirm')} type="password" name="confirm" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} error={form.errors.again} required />
            {invalid ? <Notice tone="info">{at('reset.invalid')}</Notice> : <ErrorBox error={form.error} />}
            <Button type="submit" disabled={form.busy} className="w-full">
              {at('reset.submit')}
            </Button>
          </form>
        )}
        <p className="mt-6 flex justify-center gap-4 text-sm">
          {form.done ? (
            <Link className="font-semibold text-indigo-700 hover:underline" to="/login">
              {t('nav.login')}
            </Link>
          ) : (
            <Link className="font-semibold text-indigo-700 hover:underline" to="/forgot-password">
              {at('reset.again')}
            </Link>
          )}
        </p>
      </Card>
    </div>
  );
}
