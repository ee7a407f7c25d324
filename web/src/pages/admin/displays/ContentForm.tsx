import { useState } from 'react';
import { signageApi } from '../../../api/signage';
import type { Display } from '../../../api/types';
import { useT } from '../../../i18n';
import { useSubmit } from '../../../hooks';
import { Button, Card, FormError, Notice } from '../../../components/ui';
import { ContentEditor } from './ContentEditor';
import { ContentDraft, toDraft, validateDraft } from './contentDraft';

export function ContentForm({ display, onSaved }: { display: Display; onSaved: (d: Display) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<ContentDraft>(() => toDraft(display.content));
  const form = useSubmit();
  const submit = form.submit(
    (errs) => validateDraft(draft, '', t, errs),
    async (content) => content && onSaved(await signageApi.setContent(display.id, content)),
  );
  return (
    <Card>
      <h3 className="mb-3 font-semibold">{t('signage.content')}</h3>
      <form onSubmit={submit} noValidate className="space-y-3" aria-label={t('signage.content')}>
        <ContentEditor draft={draft} onChange={setDraft} errors={form.errors} prefix="" />
        <FormError form={form} />
        {form.done && <Notice>{t('common.saved')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {t('signage.setContent')}
        </Button>
      </form>
    </Card>
  );
}

// ---- schedule editor ------------------------------------------------------------------------
