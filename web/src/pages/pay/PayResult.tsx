import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { confirmOnce, declineReason, forgetConfirm, invalidateAfterPayment, paymentKeys, paymentsApi, rememberedProject, type Payment } from '../../api/payments';
import { useLang, useT } from '../../i18n';
import { useMoney } from '../../hooks';
import { Button, ButtonLink, Card, ErrorBox, Loading } from '../../components/ui';
import { useStartPayment } from './startPayment';
import { errorText } from '../../lib/errors';

type ConfirmState = { kind: 'confirming' } | { kind: 'paid'; payment: Payment } | { kind: 'error'; error: unknown };

function ResultCard({ title, tone, children }: { title: string; tone: 'ok' | 'bad' | 'wait'; children: React.ReactNode }) {
  const icon = tone === 'ok' ? '✓' : tone === 'bad' ? '!' : '…';
  const ring = tone === 'ok' ? 'bg-emerald-100 text-emerald-700' : tone === 'bad' ? 'bg-red-100 text-red-700' : 'bg-amber-100 text-amber-800';
  return (
    <div className="mx-auto max-w-lg">
      <Card className="space-y-4 text-center">
        <span className={`mx-auto flex h-12 w-12 items-center justify-center rounded-full text-2xl font-bold ${ring}`} aria-hidden>
          {icon}
        </span>
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">{title}</h1>
        {children}
      </Card>
    </div>
  );
}

// Where the buyer goes back to: the order, or the pledge's project (when the page that started the
// payment remembered it) and the backer's pledges.
function BackLinks({ payment, quiet = false }: { payment?: Payment; quiet?: boolean }) {
  const t = useT();
  const first = quiet ? 'secondary' : 'primary';
  if (payment?.purpose === 'order') {
    return (
      <div className="flex flex-wrap justify-center gap-2">
        <ButtonLink variant={first} to={`/me/orders/${payment.targetId}`}>
          {t('pay.viewOrder')}
        </ButtonLink>
        <ButtonLink variant="secondary" to="/shop">
          {t('cart.continue')}
        </ButtonLink>
      </div>
    );
  }
  if (payment?.purpose === 'pledge') {
    const projectId = rememberedProject(payment.id);
    return (
      <div className="flex flex-wrap justify-center gap-2">
        {projectId && (
          <ButtonLink variant={first} to={`/projects/${projectId}`}>
            {t('pay.viewProject')}
          </ButtonLink>
        )}
        <ButtonLink variant={projectId ? 'secondary' : first} to="/me/pledges">
          {t('nav.myPledges')}
        </ButtonLink>
      </div>
    );
  }
  return (
    <div className="flex flex-wrap justify-center gap-2">
      <ButtonLink variant="secondary" to="/me/orders">
        {t('nav.myOrders')}
      </ButtonLink>
      <ButtonLink variant="secondary" to="/me/pledges">
        {t('nav.myPledges')}
      </ButtonLink>
    </div>
  );
}

/** "Try again": a new checkout for what the failed payment was for, and the way back. */
function RetryPayment({ paymentId }: { paymentId: string }) {
  const t = useT();
  const payment = useQuery({ queryKey: paymentKeys.one(paymentId), queryFn: () => paymentsApi.get(paymentId), enabled: !!paymentId });
  const pay = useStartPayment();
  const p = payment.data;
  return (
    <div className="space-y-3">
      {p && (p.status === 'pending' || p.status === 'failed') && (
        <Button className="w-full sm:w-auto" disabled={pay.busy} onClick={() => pay.start(p.purpose, p.targetId, { projectId: rememberedProject(p.id) ?? undefined })}>
          {pay.busy ? t('pay.starting') : t('pay.tryAgain')}
        </Button>
      )}
      {payment.isPending && !!paymentId && <Loading />}
      <ErrorBox error={pay.error} />
      <BackLinks payment={p} quiet={!!p && (p.status === 'pending' || p.status === 'failed')} />
    </div>
  );
}

/** successUrl: confirms the payment once and shows how it went. */
export function PaySuccessPage() {
  const [params] = useSearchParams();
  const t = useT();
  const lang = useLang((s) => s.lang);
  const money = useMoney();
  const qc = useQueryClient();
  const paymentKey = params.get('paymentKey') ?? '';
  const id = params.get('orderId') ?? '';
  const amountParam = params.get('amount') ?? '';
  const amount = /^\d{1,16}$/.test(amountParam) ? Number(amountParam) : NaN;
  const valid = !!paymentKey && !!id && Number.isSafeInteger(amount);
  const [state, setState] = useState<ConfirmState>({ kind: 'confirming' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!valid) return;
    let live = true;
    setState({ kind: 'confirming' });
    confirmOnce(id, paymentKey, amount).then(
      (payment) => {
        if (!live) return;
        setState({ kind: 'paid', payment });
        invalidateAfterPayment(qc, payment.purpose);
      },
      (error) => live && setState({ kind: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [valid, id, paymentKey, amount, attempt, qc]);

  const retryConfirm = () => {
    forgetConfirm(id, paymentKey, amount);
    setAttempt((n) => n + 1);
  };

  if (!valid) {
    return (
      <ResultCard title={t('pay.badLink')} tone="bad">
        <BackLinks />
      </ResultCard>
    );
  }
  if (state.kind === 'confirming') {
    return (
      <ResultCard title={t('pay.confirming')} tone="wait">
        <div className="flex justify-center">
          <Loading />
        </div>
      </ResultCard>
    );
  }
  if (state.kind === 'paid') {
    return (
      <ResultCard title={t('pay.paidTitle')} tone="ok">
        <p className="text-slate-600">{t('pay.paidText', { amount: money(state.payment.amount) })}</p>
        <BackLinks payment={state.payment} />
      </ResultCard>
    );
  }
  const err = state.error;
  if (err instanceof ApiError && err.code === 'PAYMENT_FAILED') {
    return (
      <ResultCard title={t('pay.failedTitle')} tone="bad">
        <p className="text-slate-700" data-testid="pay-reason">
          {declineReason(err)}
        </p>
        <RetryPayment paymentId={id} />
      </ResultCard>
    );
  }
  if (err instanceof ApiError && (err.status === 503 || err.status === 0 || err.status >= 500)) {
    return (
      <ResultCard title={t('pay.slowTitle')} tone="wait">
        <p className="text-slate-600">{err.status === 503 ? t('pay.slowText') : errorText(err, lang)}</p>
        <Button onClick={retryConfirm}>{t('pay.retryConfirm')}</Button>
      </ResultCard>
    );
  }
  // 409: the order or pledge is no longer payable (cancelled, expired); 400: the link's amount is not
  // the payment's. Nothing was charged for it; the message says what happened.
  return (
    <ResultCard title={t('pay.notCompleted')} tone="bad">
      <ErrorBox error={err} />
      <BackLinks />
    </ResultCard>
  );
}

/** failUrl: the provider did not take the money; say why and offer to try again. */
export function PayFailPage() {
  const [params] = useSearchParams();
  const t = useT();
  const code = params.get('code') ?? '';
  const message = params.get('message') ?? '';
  const id = params.get('orderId') ?? '';
  return (
    <ResultCard title={t('pay.notCompleted')} tone="bad">
      <p className="text-slate-700" data-testid="pay-reason">
        {message || t('pay.declinedDefault')}
      </p>
      {code && <p className="font-mono text-xs text-slate-500">{code}</p>}
      {id ? <RetryPayment paymentId={id} /> : <BackLinks />}
      <p className="text-xs text-slate-500">
        <Link to="/" className="underline">
          {t('common.backHome')}
        </Link>
      </p>
    </ResultCard>
  );
}
