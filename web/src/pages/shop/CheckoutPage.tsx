import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { ecommerceApi, ecommerceKeys, ordersChanged } from '../../api/ecommerce';
import { paymentsApi } from '../../api/payments';
import { useAuth } from '../../store/auth';
import { useCart } from '../../store/cart';
import { useLang, useT } from '../../i18n';
import { useConfig, useIdempotencyKey, useMoney, usePageTitle, usePaymentsEnabled, useSubmit } from '../../hooks';
import { loadToss } from '../../lib/toss';
import { useStartPayment } from '../pay/startPayment';
import { Button, Card, Empty, FormError, Loading, PageTitle, TextField } from '../../components/ui';
import { CartLines } from './CartLines';
import { useCartStock } from './useCartStock';
import { errorText } from '../../lib/errors';
import { Consent } from '../../components/Consent';

export function CheckoutPage() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const money = useMoney();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const user = useAuth((s) => s.user);
  const lines = useCart((s) => s.lines);
  const stock = useCartStock(lines);
  usePageTitle('checkout.title');
  const clear = useCart((s) => s.clear);
  const [ship, setShip] = useState({ name: user?.name ?? '', phone: '', address: '', postalCode: '' });
  const form = useSubmit();
  const idem = useIdempotencyKey();
  const pay = useStartPayment();
  const paymentsEnabled = usePaymentsEnabled();
  const provider = useConfig().payments?.provider;
  const [leaving, setLeaving] = useState(false);
  const [agreed, setAgreed] = useState(false);
  // Toss's window opens from the button's click: have its script ready before that.
  useEffect(() => {
    if (provider === 'toss') loadToss().catch(() => {});
  }, [provider]);
  // The cart keeps each price as it was when added; the server's quote says what the order costs
  // now (while it cannot be had, say out of stock, the cart's sum stands and placing says why).
  const items = lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
  const quote = useQuery({ queryKey: ecommerceKeys.quote(items), queryFn: () => ecommerceApi.quoteOrder(items), enabled: items.length > 0, retry: false });
  const cartTotal = lines.reduce((n, l) => n + l.price * l.quantity, 0);
  const total = quote.data?.total ?? cartTotal;
  const repriced = quote.data !== undefined && quote.data.total !== cartTotal;
  const overStock = lines.some((l) => stock[l.productId] !== undefined && l.quantity > stock[l.productId]);
  const set = (k: keyof typeof ship) => (e: { target: { value: string } }) => setShip((s) => ({ ...s, [k]: e.target.value }));
  const err = form.error;
  const stockProblems =
    err instanceof ApiError && err.code === 'OUT_OF_STOCK' && Array.isArray(err.details)
      ? (err.details as { productId: string; requested: number; available: number }[]).map((d) =>
          t('checkout.outOfStock', { name: lines.find((l) => l.productId === d.productId)?.name ?? d.productId, requested: d.requested, available: d.available }),
        )
      : [];

  if (leaving) return <Loading />;
  if (lines.length === 0) return <Empty>{t('cart.empty')}</Empty>;

  const submit = form.submit(
    (errs) => {
      (['name', 'phone', 'address', 'postalCode'] as const).forEach((k) => {
        if (!ship[k].trim()) errs[`shipping.${k}`] = t('common.required');
      });
      if (!agreed) errs.consent = t('legal.consentRequired');
    },
    async () => {
      const order = await ecommerceApi.placeOrder(
        {
          items,
          shipping: { name: ship.name.trim(), phone: ship.phone.trim(), address: ship.address.trim(), postalCode: ship.postalCode.trim() },
        },
        idem.key,
      );
      idem.renew();
      setLeaving(true);
      clear();
      ordersChanged(qc, order);
      if (!paymentsEnabled) {
        navigate('/me/orders', { state: { placed: order.id } });
        return;
      }
      // The order is placed; now pay for it. When the payment cannot start (or the buyer closes the
      // provider's window), the order's page says so and offers "pay now": placing the order again
      // would take the stock twice.
      try {
        const { checkout } = await paymentsApi.startForOrder(order.id);
        if (!(await pay.open(checkout))) navigate(`/me/orders/${order.id}`, { state: { placed: true } });
      } catch (err) {
        navigate(`/me/orders/${order.id}`, { state: { placed: true, payError: errorText(err, lang) } });
      }
    },
    { onError: idem.afterError },
  );

  return (
    <div className="mx-auto grid max-w-5xl grid-cols-1 gap-6 lg:grid-cols-5">
      <div className="lg:col-span-3">
        <PageTitle>{t('checkout.title')}</PageTitle>
        <Card>
          <form onSubmit={submit} noValidate className="space-y-4">
            <h2 className="text-lg font-semibold">{t('checkout.shipping')}</h2>
            <TextField label={t('checkout.name')} autoComplete="name" value={ship.name} onChange={set('name')} {...form.field('shipping.name')} />
            <TextField label={t('checkout.phone')} type="tel" autoComplete="tel" value={ship.phone} onChange={set('phone')} {...form.field('shipping.phone')} />
            <TextField label={t('checkout.address')} autoComplete="street-address" value={ship.address} onChange={set('address')} {...form.field('shipping.address')} />
            <TextField label={t('checkout.postalCode')} autoComplete="postal-code" value={ship.postalCode} onChange={set('postalCode')} {...form.field('shipping.postalCode')} />
            <FormError form={form} />
            {stockProblems.length > 0 && (
              <ul className="list-inside list-disc text-sm text-red-700">
                {stockProblems.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            )}
            {overStock && (
              <div role="alert" className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                {t('cart.overStockTitle')}{' '}
                <Link to="/cart" className="font-semibold underline">
                  {t('nav.cart')}
                </Link>
              </div>
            )}
            {repriced && (
              <p role="status" data-testid="checkout-repriced" className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                {t('checkout.repriced', { amount: money(total) })}
              </p>
            )}
            <div className="space-y-1 text-sm text-slate-600" data-testid="checkout-money">
              {paymentsEnabled && <p>{t('checkout.payNext', { amount: money(total) })}</p>}
              <p>{t('checkout.refundNote')}</p>
            </div>
            <Consent label={t('checkout.consent')} policies={[{ to: '/refund-policy', label: 'legal.refund' }, { to: '/terms', label: 'legal.terms' }]} checked={agreed} onChange={setAgreed} {...form.field('consent')} />
            <Button type="submit" className="w-full" disabled={form.busy || overStock}>
              {t('checkout.placeOrder')} · {money(total)}
            </Button>
          </form>
        </Card>
      </div>
      <aside className="lg:col-span-2 lg:pt-14">
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t('checkout.summary')}</h2>
          <CartLines lines={lines} editable={false} stock={stock} />
          <div className="mt-3 flex justify-between border-t border-slate-200 pt-3 font-semibold">
            <span>{t('cart.total')}</span>
            <span data-testid="checkout-total">{money(total)}</span>
          </div>
        </Card>
      </aside>
    </div>
  );
}
