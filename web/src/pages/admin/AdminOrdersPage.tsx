import { useEffect, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ecommerceApi, ecommerceKeys, ordersChanged } from '../../api/ecommerce';
import { paymentKeys } from '../../api/payments';
import type { OrderStatus } from '../../api/types';
import { useT, type MessageKey } from '../../i18n';
import { Button, ErrorBox, Notice, TextField, PagedList, SelectField } from '../../components/ui';
import { OrderCard } from '../shop/OrderCard';

const ORDER_STATUSES: OrderStatus[] = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'];

const NEXT_STATUS: Record<OrderStatus, OrderStatus[]> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export function AdminOrdersPage() {
  const t = useT();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [draft, setDraft] = useState({ userId: '', email: '' });
  const [filter, setFilter] = useState({ userId: '', email: '' });
  const [status, setStatusFilter] = useState('');
  const [done, setDone] = useState(false);
  const filters = { ...filter, status, page, limit: 10 };
  const orders = useQuery({
    queryKey: ecommerceKeys.orders(filters),
    queryFn: () => ecommerceApi.orders(filters),
    placeholderData: keepPreviousData,
  });
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: OrderStatus }) =>
      status === 'cancelled' ? ecommerceApi.cancelOrder(id) : ecommerceApi.setOrderStatus(id, status),
    onSuccess: (o) => {
      setDone(true);
      ordersChanged(qc, o);
      // paid by hand records a manual payment; cancelling a paid order refunds it
      qc.invalidateQueries({ queryKey: paymentKeys.all });
    },
  });
  useEffect(() => {
    if (!done) return;
    const h = setTimeout(() => setDone(false), 2500);
    return () => clearTimeout(h);
  }, [done]);
  return (
    <div className="space-y-4">
      <form
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ userId: draft.userId.trim(), email: draft.email.trim() });
          setPage(1);
        }}
      >
        <TextField className="flex-1" type="search" label={t('orders.emailFilter')} value={draft.email} onChange={(e) => setDraft((d) => ({ ...d, email: e.target.value }))} />
        <TextField className="flex-1" label={t('admin.userFilter')} value={draft.userId} onChange={(e) => setDraft((d) => ({ ...d, userId: e.target.value }))} />
        <SelectField
          className="sm:w-40"
          label={t('orders.statusFilter')}
          value={status}
          onChange={(e) => {
            setStatusFilter(e.target.value);
            setPage(1);
          }}
        >
          <option value="">{t('common.all')}</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as MessageKey)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="secondary">
          {t('common.search')}
        </Button>
      </form>
      <ErrorBox error={setStatus.error} />
      {done && <Notice>{t('common.saved')}</Notice>}
      <PagedList query={orders} onPage={setPage} count={false} empty={t('orders.none')}>
        {(items) => (
          <>
            {items.map((o) => (
              <OrderCard
                key={o.id}
                order={o}
                actions={
                  NEXT_STATUS[o.status].length > 0 && (
                    <label className="flex items-center gap-2 text-sm">
                      <span>{t('orders.setStatus')}</span>
                      <select
                        value=""
                        disabled={setStatus.isPending}
                        onChange={(e) => {
                          const status = e.target.value as OrderStatus;
                          if (!status) return;
                          // no step back along the arrows: ask first (cancelling a paid order refunds it in full)
                          const question =
                            status === 'cancelled' && o.status === 'paid'
                              ? t('orders.cancelPaidConfirm')
                              : t('orders.statusConfirm', { from: t(`status.${o.status}` as MessageKey), to: t(`status.${status}` as MessageKey) });
                          if (!window.confirm(question)) return;
                          setStatus.mutate({ id: o.id, status });
                        }}
                        className="rounded-md border-0 py-1 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
                      >
                        <option value="">—</option>
                        {NEXT_STATUS[o.status].map((s) => (
                          <option key={s} value={s}>
                            {t(`status.${s}` as MessageKey)}
                          </option>
                        ))}
                      </select>
                    </label>
                  )
                }
              />
            ))}
          </>
        )}
      </PagedList>
    </div>
  );
}
