import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { paymentKeys, paymentsApi, type SimOutcome } from '../../api/payments';
import { useT } from '../../i18n';
import { useMoney } from '../../hooks';
import { Button, ErrorBox, Loading } from '../../components/ui';
import { useGoTo } from './startPayment';

// The `sim` provider's hosted checkout: what a card company's payment window would be, served by
// the platform for demos and tests. Its buttons tell the server what the "card" did, and the
// browser then goes where the provider sends it (successUrl or failUrl), exactly as with Toss.
export function SimCheckoutPage() {
  const { paymentId = '' } = useParams();
  const [params] = useSearchParams();
  const t = useT();
  const money = useMoney();
  const goTo = useGoTo();
  const [busy, setBusy] = useState<SimOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const amountParam = params.get('amount');
  const queryAmount = amountParam && /^\d+$/.test(amountParam) ? Number(amountParam) : null;
  // The link carries the amount and the order's name; without them the payment itself says.
  const payment = useQuery({ queryKey: paymentKeys.one(paymentId), queryFn: () => paymentsApi.get(paymentId), enabled: queryAmount === null });
  const amount = queryAmount ?? payment.data?.amount ?? null;
  const orderName = params.get('orderName') ?? '';

  const complete = async (outcome: SimOutcome) => {
    if (busy) return;
    setBusy(outcome);
    setError(null);
    try {
      const r = await paymentsApi.simComplete(paymentId, outcome);
      const next = r.successUrl ?? r.failUrl;
      if (!next) throw new Error(t('common.error'));
      goTo(next);
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  return (
    <div className="flex min-h-dvh items-start justify-center bg-slate-100 px-4 py-10 sm:items-center">
      <main className="w-full max-w-sm overflow-hidden rounded-2xl bg-white shadow-lg ring-1 ring-slate-200" aria-labelledby="sim-title">
        <div className="flex items-center justify-between bg-slate-900 px-5 py-3 text-white">
          <span id="sim-title" className="font-semibold">{t('sim.title')}</span>
          <span className="rounded bg-amber-400 px-2 py-0.5 text-xs font-bold text-slate-900">{t('sim.testMode')}</span>
        </div>
        <div className="space-y-5 p-5">
          {amount === null && payment.isPending ? (
            <Loading />
          ) : amount === null ? (
            <ErrorBox error={payment.error ?? new Error(t('common.error'))} onRetry={() => payment.refetch()} />
          ) : (
            <dl className="space-y-1">
              <dt className="text-sm text-slate-500">{t('sim.orderName')}</dt>
              <dd className="font-medium text-slate-900" data-testid="sim-order-name">{orderName || '—'}</dd>
              <dt className="pt-2 text-sm text-slate-500">{t('sim.amount')}</dt>
              <dd className="text-3xl font-bold text-slate-900" data-testid="sim-amount">{money(amount)}</dd>
            </dl>
          )}
          <p className="text-sm text-slate-600">{t('sim.explain')}</p>
          <ErrorBox error={error} />
          <div className="grid grid-cols-2 gap-2">
            <Button variant="secondary" disabled={!!busy || amount === null} onClick={() => complete('declined')}>
              {t('sim.decline')}
            </Button>
            <Button disabled={!!busy || amount === null} onClick={() => complete('paid')}>
              {busy === 'paid' ? t('sim.paying') : t('sim.pay')}
            </Button>
          </div>
          <div className="border-t border-dashed border-slate-200 pt-3 text-center">
            <p className="text-xs text-slate-500">{t('sim.testOnly')}</p>
            <button
              type="button"
              disabled={!!busy || amount === null}
              onClick={() => complete('fail_on_confirm')}
              className="mt-1 text-xs font-medium text-slate-600 underline hover:text-slate-900 disabled:opacity-50"
            >
              {t('sim.failOnConfirm')}
            </button>
          </div>
        </div>
      </main>
    </div>
  );
}
