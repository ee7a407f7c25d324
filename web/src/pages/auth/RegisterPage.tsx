import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { accountsApi } from '../../api/accounts';
import { useAuth } from '../../store/auth';
import { useT, useLang } from '../../i18n';
import { useSubmit, usePageTitle } from '../../hooks';
import { Button, Card, FormError, SelectField, TextField } from '../../components/ui';
import { isEmail, safeNext } from '../../lib/validate';
import { Consent } from '../../components/Consent';

export function RegisterPage() {
  const t = useT();
  usePageTitle('auth.registerTitle');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const setSession = useAuth((s) => s.setSession);
  const [draft, setDraft] = useState({ name: '', email: '', password: '', role: 'user' });
  const [agreed, setAgreed] = useState(false);
  const form = useSubmit();
  const next = safeNext(params.get('next'));
  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setDraft((f) => ({ ...f, [k]: e.target.value }));

  const submit = form.submit(
    (errs) => {
      const name = draft.name.trim();
      if (name.length < 1 || name.length > 100) errs.name = t('auth.nameLength');
      if (!isEmail(draft.email)) errs.email = t('auth.invalidEmail');
      if (draft.password.length < 8 || draft.password.length > 128) errs.password = t('auth.passwordLength');
      if (!agreed) errs.consent = t('legal.consentRequired');
      return name;
    },
    async (name) => {
      const r = await accountsApi.register({ name, email: draft.email.trim(), password: draft.password, role: draft.role, locale: useLang.getState().lang });
      setSession(r);
      qc.clear();
      navigate(next, { replace: true });
    },
  );

  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="mb-6 text-2xl font-bold">{t('auth.registerTitle')}</h1>
        <form onSubmit={submit} noValidate className="space-y-4">
          <TextField label={t('auth.name')} autoComplete="name" value={draft.name} onChange={set('name')} {...form.field('name')} autoFocus maxLength={100} required />
          <TextField label={t('auth.email')} type="email" autoComplete="email" value={draft.email} onChange={set('email')} {...form.field('email')} required />
          <TextField
            label={t('auth.password')}
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={set('password')}
            {...form.field('password')}
            hint={t('auth.passwordLength')}
            required
          />
          <SelectField label={t('auth.role')} value={draft.role} onChange={set('role')} {...form.field('role')}>
            <option value="user">{t('auth.role.user')}</option>
            <option value="creator">{t('auth.role.creator')}</option>
          </SelectField>
          <Consent
            label={t('auth.consent')}
            policies={[{ to: '/terms', label: 'legal.terms' }, { to: '/privacy', label: 'legal.privacy' }]}
            checked={agreed}
            onChange={setAgreed}
            {...form.field('consent')}
          />
          <FormError form={form} />
          <Button type="submit" disabled={form.busy} className="w-full">
            {t('auth.submitRegister')}
          </Button>
        </form>
        <p className="mt-6 text-center text-sm text-slate-600">
          {t('auth.haveAccount')}{' '}
          <Link className="font-semibold text-indigo-700 hover:underline" to={`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>
            {t('nav.login')}
          </Link>
        </p>
      </Card>
    </div>
  );
}
