import { useState } from 'react';
import { accountsApi } from '../../api/accounts';
import type { User } from '../../api/types';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useSubmit } from '../../hooks';
import { Button, Card, FormError, Notice, TextField } from '../../components/ui';

export function NameForm({ user }: { user: User }) {
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
        <TextField label={t('auth.name')} value={name} onChange={(e) => setName(e.target.value)} {...form.field('name')} maxLength={100} autoComplete="name" />
        <FormError form={form} />
        {form.done && <Notice>{t('common.saved')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {t('common.save')}
        </Button>
      </form>
    </Card>
  );
}
