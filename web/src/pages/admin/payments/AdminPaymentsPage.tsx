import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { paymentKeys, paymentsApi, type PaymentPurpose, type PaymentStatus } from '../../../api/payments';
import { useT, type MessageKey } from '../../../i18n';
import { useListParams } from '../../../hooks';
import { Button, PagedList, SelectField, TextField } from '../../../components/ui';
import { PaymentRow } from './PaymentRow';

const STATUSES: PaymentStatus[] = ['pending', 'paid', 'refunded', 'failed', 'cancelled'];

const PURPOSES: PaymentPurpose[] = ['order', 'pledge'];

export function AdminPaymentsPage() {
  const t = useT();
  const { params, page, update } = useListParams();
  const status = params.get('status') ?? '';
  const purpose = params.get('purpose') ?? '';
  const userId = params.get('userId') ?? '';
  const [userDraft, setUserDraft] = useState(userId);
  useEffect(() => setUserDraft(userId), [userId]);
  const filters = { status, purpose, userId, page, limit: 20 };
  const list = useQuery({ queryKey: paymentKeys.list(filters), queryFn: () => paymentsApi.list(filters), placeholderData: keepPreviousData });

  return (
    <div className="space-y-4">
      <form
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          update({ userId: userDraft.trim() });
        }}
      >
        <SelectField className="sm:w-40" label={t('payments.status')} value={status} onChange={(e) => update({ status: e.target.value })}>
          <option value="">{t('common.all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as MessageKey)}
            </option>
          ))}
        </SelectField>
        <SelectField className="sm:w-40" label={t('payments.purpose')} value={purpose} onChange={(e) => update({ purpose: e.target.value })}>
          <option value="">{t('common.all')}</option>
          {PURPOSES.map((s) => (
            <option key={s} value={s}>
              {t(`payments.purpose.${s}` as MessageKey)}
            </option>
          ))}
        </SelectField>
        <TextField className="flex-1" label={t('admin.userFilter')} value={userDraft} onChange={(e) => setUserDraft(e.target.value)} />
        <Button type="submit" variant="secondary">
          {t('common.search')}
        </Button>
      </form>
      <PagedList query={list} onPage={(p) => update({ page: String(p) })}>
        {(items) => (
          <ul className="space-y-3">
            {items.map((p) => (
              <li key={p.id}>
                <PaymentRow payment={p} onUser={(id) => update({ userId: id })} />
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
