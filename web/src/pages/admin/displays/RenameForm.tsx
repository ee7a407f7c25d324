import { useState } from 'react';
import { signageApi } from '../../../api/signage';
import type { Display } from '../../../api/types';
import { useT } from '../../../i18n';
import { useSubmit } from '../../../hooks';
import { Button, Card, FormError, Notice, TextField } from '../../../components/ui';

export function RenameForm({ display, onSaved }: { display: Display; onSaved: (d: Display) => void }) {
  const t = useT();
  const [name, setName] = useState(display.name);
  const [location, setLocation] = useState(display.location);
  const form = useSubmit();
  const submit = form.submit(
    (errs) => {
      if (!name.trim()) errs.name = t('common.required');
    },
    async () => onSaved(await signageApi.update(display.id, { name: name.trim(), location: location.trim() })),
  );
  return (
    <Card>
      <h3 className="mb-3 font-semibold">{t('signage.rename')}</h3>
      <form onSubmit={submit} noValidate className="space-y-3">
        <TextField label={t('signage.name')} value={name} onChange={(e) => setName(e.target.value)} {...form.field('name')} />
        <TextField label={t('signage.location')} value={location} onChange={(e) => setLocation(e.target.value)} {...form.field('location')} />
        <FormError form={form} />
        {form.done && <Notice>{t('common.saved')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {t('common.save')}
        </Button>
      </form>
    </Card>
  );
}

// ---- content editor -------------------------------------------------------------------------
