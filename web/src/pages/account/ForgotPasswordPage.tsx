import { useState } from 'react';
import { Link } from 'react-router';
import { mailApi } from '../../api/mail';
import { useT } from '../../i18n';
import { useSubmit } from '../../hooks';
import { Button, Card, ErrorBox, Notice, TextField } from '../../components/ui';
import { useAccountT } from './text';

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const t = useT();
  const at = useAccountT();
  const [email, setEmail] = useState('');
  const form = useSubmit();
  const submit = form.submit(
    (errs) => {
      const e = email.trim();
      if (!e) errs.email = t('common.required');
      return e;
    },
    (e) => mailApi.forgot(e),
  );
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="mb-2 text-2xl font-bold">{at('forgot.title')}</h1>
        <p className="mb-6 text-sm text-slate-600">{at('forgot.intro')}</p>
        {form.done ? (
          <Notice>{at('forgot.sent')}</Notice>
        ) : (
          <form onSubmit={submit} noValidate className="space-y-4">
            <TextField label={t('auth.email')} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={form.errors.email} required />
            <ErrorBox error={form.error} />
            <Button type="submit" disabled={form.busy} className="w-full">
              {at('forgot.submit')}
            </Button>
          </form>
        )}
        <p className="mt-6 text-center text-sm">
          <Link className="font-semibold text-indigo-700 hover:underline" to="/login">
            {t('nav.login')}
          </Link>
        </p>
      </Card>
    </div>
  );
}
