import { useLocation, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ecommerceApi, ecommerceKeys, ordersChanged } from '../../api/ecommerce';
import { useT } from '../../i18n';
import { usePaymentsEnabled } from '../../hooks';
import { useAuth } from '../../store/auth';
import { PayNowButton } from '../pay/PayNowButton';
import { Button, ButtonLink, ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { OrderCard } from './OrderCard';
import { LoadError } from '../../components/LoadError';

export function OrderPage() {
  const { id = '' } = useParams();
  const t = useT();
  const paymentsEnabled = usePaymentsEnabled();
  const me = useAuth((s) => s.user?.id);
  const qc = useQueryClient();
  const location = useLocation();
  const state = location.state as { placed?: boolean; payError?: string } | null;
  const q = useQuery({ queryKey: ecommerceKeys.order(id), queryFn: () => ecommerceApi.order(id) });
  const cancel = useMutation({
    mutationFn: () => ecommerceApi.cancelOrder(id),
    onSuccess: (o) => ordersChanged(qc, o),
  });
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle
        actions={
          <ButtonLink variant="secondary" to="/me/orders">
            {t('orders.backToList')}
          </ButtonLink>
        }
      >
        {t('orders.detailTitle')}
      </PageTitle>
      <div className="space-y-3">
        {state?.placed && <Notice>{t('checkout.placed')}</Notice>}
        {state?.payError && q.data?.status === 'pending' && (
          <Notice tone="info">
            {t('pay.startFailed')} ({state.payError})
          </Notice>
        )}
        <ErrorBox error={cancel.error} />
        {q.isPending ? (
          <Loading />
        ) : q.error ? (
          <LoadError what="order" error={q.error} onRetry={() => q.refetch()} />
        ) : (
          <OrderCard
            order={q.data}
            actions={
              q.data.status === 'pending' && (
                <>
                  <Button variant="danger" disabled={cancel.isPending} onClick={() => window.confirm(t('orders.cancelConfirm')) && cancel.mutate()}>
                    {t('orders.cancel')}
                  </Button>
                  {paymentsEnabled && q.data.userId === me && <PayNowButton purpose="order" targetId={q.data.id} />}
                </>
              )
            }
          />
        )}
      </div>
    </div>
  );
}
