// Toss Payments' standard SDK (v2), loaded only when the server's provider is `toss`: the payment
// window takes the checkout the server prepared and sends the browser to its successUrl (with
// paymentKey, orderId and amount) or failUrl (with code and message).
// https://docs.tosspayments.com/sdk/v2/js
import type { Checkout } from '../api/payments';

export const TOSS_SDK_URL = 'https://js.tosspayments.com/v2/standard';

interface TossPaymentWindow {
  requestPayment(req: {
    method: 'CARD';
    amount: { currency: string; value: number };
    orderId: string;
    orderName: string;
    successUrl: string;
    failUrl: string;
    customerEmail?: string;
    customerName?: string;
  }): Promise<void>;
}

interface TossPaymentsFactory {
  (clientKey: string): { payment(opts: { customerKey: string }): TossPaymentWindow };
  ANONYMOUS: string;
}

declare global {
  interface Window {
    TossPayments?: TossPaymentsFactory;
  }
}

let loading: Promise<TossPaymentsFactory> | null = null;

export function loadToss(): Promise<TossPaymentsFactory> {
  if (window.TossPayments) return Promise.resolve(window.TossPayments);
  if (!loading) {
    loading = new Promise<TossPaymentsFactory>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = TOSS_SDK_URL;
      s.async = true;
      s.onload = () => (window.TossPayments ? resolve(window.TossPayments) : reject(new Error('Toss Payments SDK did not load.')));
      s.onerror = () => reject(new Error('Toss Payments SDK could not be loaded.'));
      document.head.appendChild(s);
    }).catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

/** The error Toss's window gives when the buyer closes it: nothing to show. */
export function isTossUserCancel(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: string }).code === 'USER_CANCEL';
}

/**
 * Opens Toss's payment window for the checkout. `amount` is in minor units; Toss takes the amount
 * in the currency's major unit (KRW has none below the won).
 */
export async function requestTossPayment(checkout: Checkout, clientKey: string, currency: string, fractionDigits: number, customer?: { email?: string; name?: string }) {
  const TossPayments = await loadToss();
  const payment = TossPayments(clientKey).payment({ customerKey: TossPayments.ANONYMOUS });
  await payment.requestPayment({
    method: 'CARD',
    amount: { currency, value: checkout.amount / 10 ** fractionDigits },
    orderId: checkout.paymentId,
    orderName: checkout.orderName,
    successUrl: checkout.successUrl,
    failUrl: checkout.failUrl,
    ...(customer?.email ? { customerEmail: customer.email } : {}),
    ...(customer?.name ? { customerName: customer.name } : {}),
  });
}
