import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { confirmOnce, declineReason, forgetConfirm } from './payments';
import { requestTossPayment } from '../lib/toss';
import type { Checkout } from './payments';

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('confirmOnce', () => {
  it('sends one confirm for a payment however often the page asks, and again only after forgetConfirm', async () => {
    const fetchMock = vi.fn(async () => answer(200, { success: true, data: { id: 'p1', status: 'paid' } }));
    vi.stubGlobal('fetch', fetchMock);
    const [a, b] = await Promise.all([confirmOnce('p1', 'key', 5000), confirmOnce('p1', 'key', 5000)]);
    expect(a).toEqual(b);
    await confirmOnce('p1', 'key', 5000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/payments/p1/confirm');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ paymentKey: 'key', amount: 5000 });
    forgetConfirm('p1', 'key', 5000);
    await confirmOnce('p1', 'key', 5000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('keeps a failed confirm as it is until the page retries', async () => {
    const fetchMock = vi.fn(async () => answer(503, { success: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'slow' } }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(confirmOnce('p2', 'k', 1)).rejects.toMatchObject({ status: 503 });
    await expect(confirmOnce('p2', 'k', 1)).rejects.toMatchObject({ status: 503 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});

describe('declineReason', () => {
  it("reads the provider's reason from a 402's details, else the message", () => {
    expect(declineReason(new ApiError(402, 'PAYMENT_FAILED', 'declined', { code: 'REJECT_CARD_PAYMENT', message: 'Insufficient funds' }))).toBe('Insufficient funds');
    expect(declineReason(new ApiError(402, 'PAYMENT_FAILED', 'declined', 'Card expired'))).toBe('Card expired');
    expect(declineReason(new ApiError(402, 'PAYMENT_FAILED', 'declined'))).toBe('declined');
  });
});

describe('requestTossPayment', () => {
  it("hands Toss the server's checkout, with the amount in the currency's major unit", async () => {
    const requestPayment = vi.fn(async () => {});
    const payment = vi.fn(() => ({ requestPayment }));
    const TossPayments = Object.assign(vi.fn(() => ({ payment })), { ANONYMOUS: '@@ANONYMOUS' });
    vi.stubGlobal('window', { TossPayments });
    const checkout: Checkout = {
      provider: 'toss',
      paymentId: 'pay-1',
      amount: 123450,
      orderName: 'Mug and 1 more',
      clientKey: 'test_ck',
      successUrl: 'https://shop.example/pay/success',
      failUrl: 'https://shop.example/pay/fail',
      redirectUrl: null,
    };
    await requestTossPayment(checkout, 'test_ck', 'KRW', 0, { email: 'a@b.c' });
    expect(TossPayments).toHaveBeenCalledWith('test_ck');
    expect(payment).toHaveBeenCalledWith({ customerKey: '@@ANONYMOUS' });
    expect(requestPayment).toHaveBeenCalledWith({
      method: 'CARD',
      amount: { currency: 'KRW', value: 123450 },
      orderId: 'pay-1',
      orderName: 'Mug and 1 more',
      successUrl: 'https://shop.example/pay/success',
      failUrl: 'https://shop.example/pay/fail',
      customerEmail: 'a@b.c',
    });
    await requestTossPayment(checkout, 'test_ck', 'USD', 2);
    expect((requestPayment.mock.calls[1] as unknown as [{ amount: unknown }])[0].amount).toEqual({ currency: 'USD', value: 1234.5 });
  });
});
