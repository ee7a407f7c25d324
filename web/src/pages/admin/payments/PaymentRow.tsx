import { useState } from 'react';
import { Link } from 'react-router';
import { type Payment } from '../../../api/payments';
import { useT, type MessageKey } from '../../../i18n';
import { useDates, useMoney } from '../../../hooks';
import { Button, Card, Notice, StatusBadge } from '../../../components/ui';
import { RefundForm } from './RefundForm';
import { shortId } from '../../../lib/format';

export function PaymentRow({ payment, onUser }: { payment: Payment; onUser: (userId: string) => void }) {
  const t = useT();
  const money = useMoney();
  const { dateTime } = useDates();
  const [refunding, setRefunding] = useState(false);
  const [refunded, setRefunded] = useState<Payment | null>(null);
  const p = payment;
  return (
    <Card className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-semibold">
            {money(p.amount)}
            {p.refundedAmount > 0 && <span className="ml-2 text-sm font-normal text-slate-500">{t('payments.refundedAmount', { amount: money(p.refundedAmount) })}</span>}
          </p>
          <p className="text-sm text-slate-500">
            {t(`payments.purpose.${p.purpose}` as MessageKey)}{' '}
            {p.purpose === 'order' ? (
              <Link className="font-mono underline" to={`/me/orders/${p.targetId}`}>
                #{shortId(p.targetId)}
              </Link>
            ) : (
              <span className="font-mono">#{shortId(p.targetId)}</span>
            )}{' '}
            · {p.provider} · {dateTime(p.createdAt)}
          </p>
          <p className="break-all text-xs text-slate-400">
            {t('payments.id')} {p.id} · {t('payments.user')}{' '}
            <button type="button" className="underline hover:text-slate-600" title={t('payments.byUser')} onClick={() => onUser(p.userId)}>
              {p.userId}
            </button>
          </p>
          {p.failureReason && <p className="text-sm text-red-700">{p.failureReason}</p>}
        </div>
        <div className="flex items-center gap-2">
          <StatusBadge status={p.status} />
          {p.status === 'paid' && !refunding && (
            <Button variant="secondary" onClick={() => setRefunding(true)}>
              {t('payments.refund')}…
            </Button>
          )}
        </div>
      </div>
      {refunded && <Notice>{t('payments.refundDone', { amount: money(refunded.refundedAmount) })}</Notice>}
      {refunding && p.status === 'paid' && (
        <div className="border-t border-slate-100 pt-3">
          <RefundForm
            payment={p}
            onDone={(r) => {
              setRefunded(r);
              setRefunding(false);
            }}
          />
          <Button variant="ghost" className="mt-2" onClick={() => setRefunding(false)}>
            {t('common.cancel')}
          </Button>
        </div>
      )}
    </Card>
  );
}
