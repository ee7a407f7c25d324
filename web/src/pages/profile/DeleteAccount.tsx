import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { accountsApi } from '../../api/accounts';
import type { User } from '../../api/types';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useSubmit } from '../../hooks';
import { Button, Card, FormError, TextField } from '../../components/ui';

export function DeleteAccount({ user }: { user: User }) {
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
        <TextField label={t('profile.deleteConfirm')} value={confirm} onChange={(e) => setConfirm(e.target.value)} {...form.field('confirm')} autoComplete="off" />
        <FormError form={form} />
        <Button type="submit" variant="danger" disabled={form.busy || confirm !== 'DELETE'}>
          {t('profile.deleteAccount')}
        </Button>
      </form>
    </Card>
  );
}
