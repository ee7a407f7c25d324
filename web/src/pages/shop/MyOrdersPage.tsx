import { useState } from 'react';
import { useLocation } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ecommerceApi, ecommerceKeys, ordersChanged } from '../../api/ecommerce';
import { PagedList } from '../../components/ui';
import { useT } from '../../i18n';
import { usePaymentsEnabled, usePageTitle } from '../../hooks';
import { useAuth } from '../../store/auth';
import { PayNowButton } from '../pay/PayNowButton';
import { Button, ErrorBox, Notice, PageTitle } from '../../components/ui';
import { OrderCard } from './OrderCard';

export function MyOrdersPage() {
  const t = useT();
  usePageTitle('orders.title');
  const paymentsEnabled = usePaymentsEnabled();
  // an admin's list holds everyone's orders; only the buyer pays
  const me = useAuth((s) => s.user?.id);
  const qc = useQueryClient();
  const location = useLocation();
  const placed = (location.state as { placed?: string } | null)?.placed;
  const [page, setPage] = useState(1);
  const filters = { page, limit: 10 };
  const q = useQuery({ queryKey: ecommerceKeys.orders(filters), queryFn: () => ecommerceApi.orders(filters) });
  const cancel = useMutation({
    mutationFn: ecommerceApi.cancelOrder,
    onSuccess: (o) => ordersChanged(qc, o),
  });
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle>{t('orders.title')}</PageTitle>
      <div className="space-y-3">
        {placed && <Notice>{t('checkout.placed')}</Notice>}
        <ErrorBox error={cancel.error} />
        <PagedList query={q} onPage={setPage} empty={t('orders.none')} count={false}>
          {(items) => (
            <div className="space-y-3">
              {items.map((o) => (
                <OrderCard
                  key={o.id}
                  order={o}
                  actions={
                    o.status === 'pending' && (
                      <>
                        <Button variant="danger" disabled={cancel.isPending} onClick={() => window.confirm(t('orders.cancelConfirm')) && cancel.mutate(o.id)}>
                          {t('orders.cancel')}
                        </Button>
                        {paymentsEnabled && o.userId === me && <PayNowButton purpose="order" targetId={o.id} />}
                      </>
                    )
                  }
                />
              ))}
            </div>
          )}
        </PagedList>
      </div>
    </div>
  );
}
