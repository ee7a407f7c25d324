import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAccountT } from '../account/text';
import { useQueryClient } from '@tanstack/react-query';
import { accountsApi } from '../../api/accounts';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useSubmit, usePageTitle } from '../../hooks';
import { Button, Card, FormError, Notice, TextField } from '../../components/ui';
import { isEmail, safeNext } from '../../lib/validate';

export function LoginPage() {
  const t = useT();
  const at = useAccountT();
  usePageTitle('auth.loginTitle');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const setSession = useAuth((s) => s.setSession);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit();
  const next = safeNext(params.get('next'));
  const expired = useAuth((s) => s.expired);

  const submit = form.submit(
    (errs) => {
      if (!isEmail(email)) errs.email = t('auth.invalidEmail');
      if (!password) errs.password = t('common.required');
    },
    async () => {
      const r = await accountsApi.login(email.trim(), password);
      setSession(r);
      qc.clear();
      navigate(next, { replace: true });
    },
  );

  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="mb-6 text-2xl font-bold">{t('auth.loginTitle')}</h1>
        {(params.get('expired') || expired) && (
          <div className="mb-4">
            <Notice tone="info">{t('auth.sessionExpired')}</Notice>
          </div>
        )}
        <form onSubmit={submit} noValidate className="space-y-4">
          <TextField label={t('auth.email')} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} {...form.field('email')} autoFocus required />
          <TextField label={t('auth.password')} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} {...form.field('password')} required />
          <FormError form={form} />
          <Button type="submit" disabled={form.busy} className="w-full">
            {t('auth.submitLogin')}
          </Button>
        </form>
        <p className="mt-4 text-center text-sm">
          <Link className="text-indigo-700 hover:underline" to="/forgot-password">
            {at('forgot.link')}
          </Link>
        </p>
        <p className="mt-6 text-center text-sm text-slate-600">
          {t('auth.noAccount')}{' '}
          <Link className="font-semibold text-indigo-700 hover:underline" to={`/register${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>
            {t('nav.register')}
          </Link>
        </p>
      </Card>
    </div>
  );
}
