// Payments: the API's URLs, this domain's query keys, and which queries a payment's change makes
// stale. Pages go through here instead of writing the paths and keys themselves.
import type { QueryClient } from '@tanstack/react-query';
import { api, ApiError, qs } from './client';
import type { Page } from './types';
import { ordersChanged } from './ecommerce';
import { crowdfundingChanged } from './crowdfunding';

export type PaymentPurpose = 'order' | 'pledge';
export type PaymentStatus = 'pending' | 'paid' | 'refunded' | 'failed' | 'cancelled';
export type SimOutcome = 'paid' | 'declined' | 'fail_on_confirm';

export interface Payment {
  id: string;
  purpose: PaymentPurpose;
  targetId: string;
  userId: string;
  provider: string;
  amount: number;
  refundedAmount: number;
  currency: string;
  status: PaymentStatus;
  failureReason: string | null;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the browser needs to take the buyer to the provider. */
export interface Checkout {
  provider: string;
  paymentId: string;
  amount: number;
  orderName: string;
  clientKey: string | null;
  successUrl: string;
  failUrl: string;
  /** the `sim` provider's hosted page */
  redirectUrl: string | null;
}

export interface PaymentStart {
  payment: Payment;
  checkout: Checkout;
}

export interface PaymentFilters {
  status?: string;
  purpose?: string;
  userId?: string;
  page?: number;
  limit?: number;
}

export const paymentKeys = {
  all: ['payments'] as const,
  one: (id: string) => ['payments', 'one', id] as const,
  list: (filters: PaymentFilters) => ['payments', 'list', filters] as const,
};

export const paymentsApi = {
  startForOrder: (orderId: string) => api<PaymentStart>(`/ecommerce/orders/${orderId}/payment`, { method: 'POST' }),
  startForPledge: (pledgeId: string) => api<PaymentStart>(`/crowdfunding/pledges/${pledgeId}/payment`, { method: 'POST' }),
  start: (purpose: PaymentPurpose, targetId: string) => (purpose === 'order' ? paymentsApi.startForOrder(targetId) : paymentsApi.startForPledge(targetId)),
  get: (id: string) => api<Payment>(`/payments/${id}`),
  list: (f: PaymentFilters) => api<Page<Payment>>(`/payments${qs({ status: f.status, purpose: f.purpose, userId: f.userId, page: f.page, limit: f.limit })}`),
  confirm: (id: string, body: { paymentKey: string; amount: number }) => api<Payment>(`/payments/${id}/confirm`, { method: 'POST', body }),
  refund: (id: string, amount?: number) => api<Payment>(`/payments/${id}/refund`, { method: 'POST', body: amount === undefined ? {} : { amount } }),
  simComplete: (id: string, outcome: SimOutcome) => api<{ successUrl?: string; failUrl?: string }>(`/payments/sim/${id}/complete`, { method: 'POST', body: { outcome } }),
};

/**
 * A payment changed state (paid, refunded): what it paid for changed too. An order's status and a
 * pledge's paymentStatus show in the buyer's lists; a refund that cancels returns stock or `raised`.
 */
export function invalidateAfterPayment(qc: QueryClient, purpose?: PaymentPurpose) {
  qc.invalidateQueries({ queryKey: paymentKeys.all });
  if (purpose !== 'pledge') ordersChanged(qc);
  if (purpose !== 'order') crowdfundingChanged(qc);
}

// Confirming is a POST with an effect: a page that mounts twice (React's strict mode runs effects
// twice in development; a reload re-runs them) must send it once. One promise per (payment, key,
// amount) is shared by every caller until `forgetConfirm` lets a retry send it again.
const confirmations = new Map<string, Promise<Payment>>();

export function confirmOnce(id: string, paymentKey: string, amount: number): Promise<Payment> {
  const key = `${id}|${paymentKey}|${amount}`;
  let p = confirmations.get(key);
  if (!p) {
    p = paymentsApi.confirm(id, { paymentKey, amount });
    confirmations.set(key, p);
  }
  return p;
}

export function forgetConfirm(id: string, paymentKey: string, amount: number) {
  confirmations.delete(`${id}|${paymentKey}|${amount}`);
}

/** The provider's reason for a decline (402 PAYMENT_FAILED carries it in `details`), else the message. */
export function declineReason(err: unknown): string {
  if (err instanceof ApiError) {
    const d = err.details;
    if (typeof d === 'string' && d) return d;
    if (d && typeof d === 'object') {
      const o = d as Record<string, unknown>;
      for (const k of ['reason', 'message', 'failureReason', 'code']) if (typeof o[k] === 'string' && o[k]) return o[k] as string;
    }
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

// Where a paid pledge's "back to the project" link goes: the payment names the pledge, not its
// project, so the page that starts the payment remembers the project for the success page.
const TARGET_KEY = 'o4o.payment.';

export function rememberProject(paymentId: string, projectId: string) {
  try {
    sessionStorage.setItem(TARGET_KEY + paymentId, projectId);
  } catch {
    /* ignore */
  }
}

export function rememberedProject(paymentId: string): string | null {
  try {
    return sessionStorage.getItem(TARGET_KEY + paymentId);
  } catch {
    return null;
  }
}
