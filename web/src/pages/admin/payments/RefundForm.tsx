import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { invalidateAfterPayment, paymentsApi, type Payment } from '../../../api/payments';
import { useT } from '../../../i18n';
import { useConfig, useMoney, useSubmit } from '../../../hooks';
import { parseMoney } from '../../../lib/money';
import { Button, FormError, TextField } from '../../../components/ui';

export function RefundForm({ payment, onDone }: { payment: Payment; onDone: (p: Payment) => void }) {
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
        {...form.field('amount')}
      />
      <Button type="submit" variant="danger" disabled={form.busy}>
        {t('payments.refund')}
      </Button>
      <div className="sm:basis-full">
        <FormError form={form} />
      </div>
    </form>
  );
}
