import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { accountsApi } from '../api/accounts';
import type { User } from '../api/types';
import { useAuth } from '../store/auth';
import { useT, type MessageKey } from '../i18n';
import { useDates, useSubmit } from '../hooks';
import { Button, Card, ErrorBox, Notice, PageTitle, TextField } from '../components/ui';

export function ProfilePage() {
  const t = useT();
  const user = useAuth((s) => s.user)!;
  const { date } = useDates();
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageTitle>{t('profile.title')}</PageTitle>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('profile.account')}</h2>
        <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-3">
          <dt className="text-slate-500">{t('auth.email')}</dt>
          <dd className="sm:col-span-2">{user.email}</dd>
          <dt className="text-slate-500">{t('profile.role')}</dt>
          <dd className="sm:col-span-2">{t(`role.${user.role}` as MessageKey)}</dd>
          <dt className="text-slate-500">{t('profile.memberSince')}</dt>
          <dd className="sm:col-span-2">{date(user.createdAt)}</dd>
        </dl>
      </Card>
      <NameForm user={user} />
      <PasswordForm user={user} />
      <DeleteAccount user={user} />
    </div>
  );
}

function NameForm({ user }: { user: User }) {
  const t = useT();
  const setUser = useAuth((s) => s.setUser);
  const [name, setName] = useState(user.name);
  const form = useSubmit();

  const submit = form.submit(
    (errs) => {
      const n = name.trim();
      if (n.length < 1 || n.length > 100) errs.name = t('auth.nameLength');
      return n;
    },
    async (n) => setUser(await accountsApi.updateUser(user.id, { name: n })),
  );

  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{t('profile.changeName')}</h2>
      <form onSubmit={submit} noValidate className="space-y-4">
        <TextField label={t('auth.name')} value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} maxLength={100} autoComplete="name" />
        <ErrorBox error={form.error} />
        {form.done && <Notice>{t('common.saved')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {t('common.save')}
        </Button>
      </form>
    </Card>
  );
}

function PasswordForm({ user }: { user: User }) {
  const t = useT();
  const setSession = useAuth((s) => s.setSession);
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit();

  const submit = form.submit(
    (errs) => {
      if (!current) errs.currentPassword = t('common.required');
      if (password.length < 8 || password.length > 128) errs.password = t('auth.passwordLength');
    },
    async () => {
      await accountsApi.updateUser(user.id, { password, currentPassword: current });
      // A password change ends every refresh token; sign in again to keep this tab's session.
      try {
        const r = await accountsApi.login(user.email, password);
        setSession(r);
      } catch {
        /* the next expired request sends the user to the login page */
      }
      setCurrent('');
      setPassword('');
    },
  );

  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{t('profile.changePassword')}</h2>
      <form onSubmit={submit} noValidate className="space-y-4">
        <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
        <TextField label={t('profile.currentPassword')} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={form.errors.currentPassword} />
        <TextField label={t('profile.newPassword')} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={form.errors.password} hint={t('auth.passwordLength')} />
        <ErrorBox error={form.error} />
        {form.done && <Notice>{t('profile.passwordChanged')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {t('profile.changePassword')}
        </Button>
      </form>
    </Card>
  );
}

function DeleteAccount({ user }: { user: User }) {
  const t = useT();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState('');
  const form = useSubmit();

  const submit = form.submit(
    (errs) => {
      if (confirm !== 'DELETE') errs.confirm = t('profile.deleteConfirm');
    },
    async () => {
      await accountsApi.deleteUser(user.id);
      useAuth.getState().clear();
      qc.clear();
      navigate('/', { replace: true });
    },
  );

  return (
    <Card className="ring-red-200">
      <h2 className="mb-2 text-lg font-semibold text-red-700">{t('profile.deleteAccount')}</h2>
      <p className="mb-4 text-sm text-slate-600">{t('profile.deleteWarning')}</p>
      <form onSubmit={submit} className="space-y-4">
        <TextField label={t('profile.deleteConfirm')} value={confirm} onChange={(e) => setConfirm(e.target.value)} error={form.errors.confirm} autoComplete="off" />
        <ErrorBox error={form.error} />
        <Button type="submit" variant="danger" disabled={form.busy || confirm !== 'DELETE'}>
          {t('profile.deleteAccount')}
        </Button>
      </form>
    </Card>
  );
}
