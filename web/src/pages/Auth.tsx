import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import type { AuthResult } from '../api/types';
import { useAuth } from '../store/auth';
import { useT } from '../i18n';
import { Button, Card, ErrorBox, Notice, SelectField, TextField } from '../components/ui';
import { hasErrors, isEmail, safeNext, type Errors } from '../lib/validate';

export function LoginPage() {
  const t = useT();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const setSession = useAuth((s) => s.setSession);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  const expired = useAuth((s) => s.expired);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Errors = {};
    if (!isEmail(email)) errs.email = t('auth.invalidEmail');
    if (!password) errs.password = t('common.required');
    setErrors(errs);
    setError(null);
    if (hasErrors(errs)) return;
    setBusy(true);
    try {
      const r = await api<AuthResult>('/auth/login', { method: 'POST', body: { email: email.trim(), password }, auth: false });
      setSession(r);
      qc.clear();
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

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
          <TextField label={t('auth.email')} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
          <TextField label={t('auth.password')} type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} required />
          <ErrorBox error={error} />
          <Button type="submit" disabled={busy} className="w-full">
            {t('auth.submitLogin')}
          </Button>
        </form>
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

export function RegisterPage() {
  const t = useT();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const setSession = useAuth((s) => s.setSession);
  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'user' });
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Errors = {};
    const name = form.name.trim();
    if (name.length < 1 || name.length > 100) errs.name = t('auth.nameLength');
    if (!isEmail(form.email)) errs.email = t('auth.invalidEmail');
    if (form.password.length < 8 || form.password.length > 128) errs.password = t('auth.passwordLength');
    setErrors(errs);
    setError(null);
    if (hasErrors(errs)) return;
    setBusy(true);
    try {
      const r = await api<AuthResult>('/auth/register', {
        method: 'POST',
        body: { name, email: form.email.trim(), password: form.password, role: form.role },
        auth: false,
      });
      setSession(r);
      qc.clear();
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="mb-6 text-2xl font-bold">{t('auth.registerTitle')}</h1>
        <form onSubmit={submit} noValidate className="space-y-4">
          <TextField label={t('auth.name')} name="name" autoComplete="name" value={form.name} onChange={set('name')} error={errors.name} maxLength={100} required />
          <TextField label={t('auth.email')} type="email" name="email" autoComplete="email" value={form.email} onChange={set('email')} error={errors.email} required />
          <TextField
            label={t('auth.password')}
            type="password"
            name="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            error={errors.password}
            hint={t('auth.passwordLength')}
            required
          />
          <SelectField label={t('auth.role')} name="role" value={form.role} onChange={set('role')} error={errors.role}>
            <option value="user">{t('auth.role.user')}</option>
            <option value="creator">{t('auth.role.creator')}</option>
          </SelectField>
          <ErrorBox error={error} />
          <Button type="submit" disabled={busy} className="w-full">
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
