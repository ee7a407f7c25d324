import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { invalidateAfterPayment, paymentKeys, paymentsApi, type Payment, type PaymentPurpose, type PaymentStatus } from '../../api/payments';
import { useT, type MessageKey } from '../../i18n';
import { useConfig, useDates, useListParams, useMoney, useSubmit } from '../../hooks';
import { parseMoney } from '../../lib/money';
import { Button, Card, ErrorBox, Notice, PagedList, SelectField, StatusBadge, TextField } from '../../components/ui';

const STATUSES: PaymentStatus[] = ['pending', 'paid', 'refunded', 'failed', 'cancelled'];
const PURPOSES: PaymentPurpose[] = ['order', 'pledge'];

function RefundForm({ payment, onDone }: { payment: Payment; onDone: (p: Payment) => void }) {
  const t = useT();
  const money = useMoney();
  const cfg = useConfig();
  const qc = useQueryClient();
  const [amount, setAmount] = useState('');
  const form = useSubmit();
  const left = payment.amount - payment.refundedAmount;

  const submit = form.submit(
    (errs) => {
      if (!amount.trim()) return undefined; // all that is left
      const minor = parseMoney(amount, cfg.fractionDigits);
      if (minor === null || minor <= 0 || minor > left) errs.amount = t('payments.refundInvalid', { left: money(left) });
      return minor ?? undefined;
    },
    async (minor) => {
      if (!window.confirm(t('payments.refundConfirm', { amount: money(minor ?? left) }))) return;
      const p = await paymentsApi.refund(payment.id, minor);
      invalidateAfterPayment(qc, payment.purpose);
      onDone(p);
    },
  );

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2 sm:flex-row sm:items-end" aria-label={t('payments.refund')}>
      <TextField
        className="sm:w-48"
        label={t('payments.refundAmount', { currency: cfg.currency })}
        inputMode={cfg.fractionDigits > 0 ? 'decimal' : 'numeric'}
        placeholder={t('payments.refundAll', { left: money(left) })}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        error={form.errors.amount}
      />
      <Button type="submit" variant="danger" disabled={form.busy}>
        {t('payments.refund')}
      </Button>
      <div className="sm:basis-full">
        <ErrorBox error={form.error} />
      </div>
    </form>
  );
}

function PaymentRow({ payment }: { payment: Payment }) {
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
                #{p.targetId.slice(0, 8)}
              </Link>
            ) : (
              <span className="font-mono">#{p.targetId.slice(0, 8)}</span>
            )}{' '}
            · {p.provider} · {dateTime(p.createdAt)}
          </p>
          <p className="break-all text-xs text-slate-400">
            {t('payments.id')} {p.id} · {t('payments.user')} {p.userId}
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

export function AdminPaymentsPage() {
  const t = useT();
  const { params, page, update } = useListParams();
  const status = params.get('status') ?? '';
  const purpose = params.get('purpose') ?? '';
  const userId = params.get('userId') ?? '';
  const [userDraft, setUserDraft] = useState(userId);
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
                <PaymentRow payment={p} />
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
