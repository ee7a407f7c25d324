import { useState } from 'react';
import { accountsApi } from '../../api/accounts';
import type { User } from '../../api/types';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useSubmit } from '../../hooks';
import { Button, Card, FormError, Notice, TextField } from '../../components/ui';

export function PasswordForm({ user }: { user: User }) {
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
        <TextField label={t('profile.currentPassword')} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} {...form.field('currentPassword')} />
        <TextField label={t('profile.newPassword')} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} {...form.field('password')} hint={t('auth.passwordLength')} />
        <FormError form={form} />
        {form.done && <Notice>{t('profile.passwordChanged')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {t('profile.changePassword')}
        </Button>
      </form>
    </Card>
  );
}
