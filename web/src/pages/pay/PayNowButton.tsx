import type { PaymentPurpose } from '../../api/payments';
import { useT } from '../../i18n';
import { Button, ErrorBox } from '../../components/ui';
import { useStartPayment } from './startPayment';

/** "Pay now" for a pending order or an unpaid pledge: asks the server for a checkout and goes to the provider. */
export function PayNowButton({ purpose, targetId, projectId, label }: { purpose: PaymentPurpose; targetId: string; projectId?: string; label?: string }) {
  const t = useT();
  const pay = useStartPayment();
  return (
    <div className="flex flex-col items-end gap-2">
      <Button disabled={pay.busy} onClick={() => pay.start(purpose, targetId, { projectId })}>
        {pay.busy ? t('pay.starting') : (label ?? t('pay.payNow'))}
      </Button>
      {pay.error != null && (
        <div className="w-full max-w-sm text-left">
          <ErrorBox error={pay.error} />
        </div>
      )}
    </div>
  );
}
