import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, qs } from '../api/client';
import type { Category, Order, Page, Product } from '../api/types';
import { paymentsApi } from '../api/payments';
import { useAuth } from '../store/auth';
import { useCart, type CartLine } from '../store/cart';
import { useT } from '../i18n';
import { useConfig, useDates, useIdempotencyKey, useListParams, useMoney, usePaymentsEnabled, useSubmit } from '../hooks';
import { loadToss } from '../lib/toss';
import { useStartPayment } from './pay/startPayment';
import { PayNowButton } from './pay/PayNowButton';
import { Button, ButtonLink, Card, Empty, ErrorBox, Loading, Notice, PagedList, PageTitle, Pagination, Placeholder, SafeImage, SearchForm, SelectField, StatusBadge, Tag, TextField, UserText, cx } from '../components/ui';

export function ProductCard({ product }: { product: Product }) {
  const t = useT();
  const money = useMoney();
  return (
    <article className="group relative flex flex-col overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200 transition hover:shadow-md">
      <SafeImage
        src={product.imageUrl}
        alt=""
        className="aspect-square w-full bg-slate-100 object-cover"
        fallback={<Placeholder label={product.name} seed={product.id} className="aspect-square w-full" />}
      />
      <div className="flex flex-1 flex-col gap-1 p-4">
        <p className="text-xs text-slate-500">{product.category}</p>
        <h3 className="line-clamp-2 font-semibold text-slate-900">
          <Link to={`/shop/products/${product.id}`} className="after:absolute after:inset-0 focus:underline group-hover:text-indigo-700">
            {product.name}
          </Link>
        </h3>
        <div className="mt-auto flex flex-col gap-0.5 pt-2 sm:flex-row sm:flex-wrap sm:items-baseline sm:justify-between sm:gap-2">
          <span className="text-lg font-bold">{money(product.price)}</span>
          <span className={cx('text-xs', product.stock > 0 ? 'text-slate-500' : 'font-semibold text-red-600')}>
            {product.stock > 0 ? t('shop.inStock', { count: product.stock }) : t('shop.outOfStock')}
          </span>
        </div>
      </div>
    </article>
  );
}

export function ShopPage() {
  const t = useT();
  const { params, q, page, search, setSearch, update } = useListParams();
  const category = params.get('category') ?? '';
  const sort = params.get('sort') ?? '-createdAt';

  const cats = useQuery({ queryKey: ['product-categories'], queryFn: () => api<Category[]>('/ecommerce/categories') });
  const products = useQuery({
    queryKey: ['products', { q, category, sort, page }],
    queryFn: () => api<Page<Product>>(`/ecommerce/products${qs({ q, category, sort, page, limit: 12 })}`),
    placeholderData: keepPreviousData,
  });

  const catButton = (name: string, label: string, count?: number) => (
    <li key={name || '__all'}>
      <button
        type="button"
        onClick={() => update({ category: name })}
        aria-pressed={category === name}
        className={cx(
          'flex w-full items-center justify-between gap-2 whitespace-nowrap rounded-lg px-3 py-2 text-left text-sm',
          category === name ? 'bg-indigo-600 font-semibold text-white' : 'text-slate-700 hover:bg-slate-100',
        )}
      >
        <span>{label}</span>
        {count !== undefined && <span className={cx('text-xs', category === name ? 'text-indigo-100' : 'text-slate-400')}>{count}</span>}
      </button>
    </li>
  );

  return (
    <div>
      <PageTitle>{t('shop.title')}</PageTitle>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[14rem_1fr]">
        <nav aria-label={t('shop.categories')}>
          <h2 className="mb-2 hidden text-sm font-semibold text-slate-500 lg:block">{t('shop.categories')}</h2>
          <ul className="-mx-1 flex gap-1 overflow-x-auto px-1 pb-1 lg:flex-col lg:overflow-visible">
            {catButton('', t('common.all'))}
            {cats.data?.map((c) => catButton(c.name, c.name, c.count))}
          </ul>
        </nav>
        <div>
          <SearchForm className="mb-6" placeholder={t('shop.searchPlaceholder')} value={search} onChange={setSearch} onSearch={(text) => update({ q: text })}>
            <SelectField className="sm:w-52" label={t('shop.sort')} value={sort} onChange={(e) => update({ sort: e.target.value })}>
              <option value="-createdAt">{t('shop.sort.newest')}</option>
              <option value="createdAt">{t('shop.sort.oldest')}</option>
              <option value="price">{t('shop.sort.priceAsc')}</option>
              <option value="-price">{t('shop.sort.priceDesc')}</option>
            </SelectField>
          </SearchForm>
          <PagedList query={products} onPage={(p) => update({ page: String(p) })}>
            {(items) => (
              <div className="grid grid-cols-2 gap-3 sm:gap-4 md:grid-cols-3">
                {items.map((p) => (
                  <ProductCard key={p.id} product={p} />
                ))}
              </div>
            )}
          </PagedList>
        </div>
      </div>
    </div>
  );
}

export function ProductPage() {
  const { id = '' } = useParams();
  const t = useT();
  const money = useMoney();
  const add = useCart((s) => s.add);
  const inCart = useCart((s) => s.lines.find((l) => l.productId === id)?.quantity ?? 0);
  const [qty, setQty] = useState(1);
  const [added, setAdded] = useState(false);
  const q = useQuery({ queryKey: ['product', id], queryFn: () => api<Product>(`/ecommerce/products/${id}`) });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => q.refetch()} />;
  const p = q.data;
  const max = Math.max(0, p.stock - inCart);
  return (
    <div className="grid grid-cols-1 gap-8 md:grid-cols-2">
      <SafeImage src={p.imageUrl} alt={p.name} className="aspect-square w-full rounded-2xl bg-slate-100 object-cover" fallback={<Placeholder label={p.name} seed={p.id} className="aspect-square w-full rounded-2xl" />} />
      <div className="space-y-4">
        <Tag>{p.category}</Tag>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{p.name}</h1>
        <p className="text-3xl font-bold text-slate-900">{money(p.price)}</p>
        <p className={cx('text-sm', p.stock > 0 ? 'text-slate-600' : 'font-semibold text-red-600')} data-testid="product-stock">
          {p.stock > 0 ? t('shop.inStock', { count: p.stock }) : t('shop.outOfStock')}
        </p>
        {p.description && <UserText text={p.description} className="text-slate-700" />}
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (qty < 1 || qty > max) return;
            add({ productId: p.id, name: p.name, price: p.price, imageUrl: p.imageUrl }, qty);
            setAdded(true);
            setQty(1);
          }}
        >
          <TextField
            className="w-28"
            label={t('shop.quantity')}
            type="number"
            min={1}
            max={Math.max(1, max)}
            value={qty}
            onChange={(e) => setQty(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
            disabled={max === 0}
          />
          <Button type="submit" disabled={max === 0 || qty > max}>
            {t('shop.addToCart')}
          </Button>
        </form>
        {added && (
          <Notice>
            {t('shop.added')}{' '}
            <Link to="/cart" className="font-semibold underline">
              {t('nav.cart')}
            </Link>
          </Notice>
        )}
      </div>
    </div>
  );
}

function CartLines({ lines, editable }: { lines: CartLine[]; editable: boolean }) {
  const t = useT();
  const money = useMoney();
  const setQuantity = useCart((s) => s.setQuantity);
  const remove = useCart((s) => s.remove);
  return (
    <ul className="divide-y divide-slate-100">
      {lines.map((l) => (
        <li key={l.productId} className="flex items-center gap-3 py-3">
          <SafeImage src={l.imageUrl} alt="" className="h-16 w-16 flex-none rounded-lg bg-slate-100 object-cover" fallback={<Placeholder label={l.name} seed={l.productId} className="h-16 w-16 flex-none rounded-lg text-xl" />} />
          <div className="min-w-0 flex-1">
            <Link to={`/shop/products/${l.productId}`} className="line-clamp-2 font-medium hover:underline">
              {l.name}
            </Link>
            <p className="text-sm text-slate-500">{money(l.price)}</p>
          </div>
          {editable ? (
            <div className="flex items-center gap-2">
              <label className="sr-only" htmlFor={`qty-${l.productId}`}>
                {t('shop.quantity')} — {l.name}
              </label>
              <input
                id={`qty-${l.productId}`}
                type="number"
                min={1}
                value={l.quantity}
                onChange={(e) => setQuantity(l.productId, Number(e.target.value) || 1)}
                className="w-16 rounded-lg border-0 px-2 py-1 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
              />
              <Button variant="ghost" className="px-2" aria-label={t('cart.removeItem', { name: l.name })} onClick={() => remove(l.productId)}>
                ✕
              </Button>
            </div>
          ) : (
            <span className="text-sm text-slate-600">× {l.quantity}</span>
          )}
          <span className="w-24 text-right font-semibold">{money(l.price * l.quantity)}</span>
        </li>
      ))}
    </ul>
  );
}

export function CartPage() {
  const t = useT();
  const money = useMoney();
  const lines = useCart((s) => s.lines);
  const total = lines.reduce((n, l) => n + l.price * l.quantity, 0);
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle>{t('cart.title')}</PageTitle>
      {lines.length === 0 ? (
        <Empty>
          {t('cart.empty')}{' '}
          <Link to="/shop" className="font-semibold text-indigo-700 underline">
            {t('cart.continue')}
          </Link>
        </Empty>
      ) : (
        <Card>
          <CartLines lines={lines} editable />
          <div className="mt-4 flex items-center justify-between border-t border-slate-200 pt-4">
            <span className="text-slate-600">{t('cart.total')}</span>
            <span className="text-2xl font-bold" data-testid="cart-total">{money(total)}</span>
          </div>
          <div className="mt-4 flex flex-wrap justify-end gap-2">
            <ButtonLink variant="secondary" to="/shop">
              {t('cart.continue')}
            </ButtonLink>
            <ButtonLink to="/checkout">{t('cart.checkout')}</ButtonLink>
          </div>
        </Card>
      )}
    </div>
  );
}

export function CheckoutPage() {
  const t = useT();
  const money = useMoney();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const user = useAuth((s) => s.user);
  const lines = useCart((s) => s.lines);
  const clear = useCart((s) => s.clear);
  const [ship, setShip] = useState({ name: user?.name ?? '', phone: '', address: '', postalCode: '' });
  const form = useSubmit();
  const idem = useIdempotencyKey();
  const pay = useStartPayment();
  const paymentsEnabled = usePaymentsEnabled();
  const provider = useConfig().payments?.provider;
  const [leaving, setLeaving] = useState(false);
  // Toss's window opens from the button's click: have its script ready before that.
  useEffect(() => {
    if (provider === 'toss') loadToss().catch(() => {});
  }, [provider]);
  const total = lines.reduce((n, l) => n + l.price * l.quantity, 0);
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
    },
    async () => {
      const order = await api<Order>('/ecommerce/orders', {
        method: 'POST',
        headers: { 'Idempotency-Key': idem.key },
        body: {
          items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
          shipping: { name: ship.name.trim(), phone: ship.phone.trim(), address: ship.address.trim(), postalCode: ship.postalCode.trim() },
        },
      });
      idem.renew();
      setLeaving(true);
      clear();
      qc.invalidateQueries({ queryKey: ['orders'] });
      qc.invalidateQueries({ queryKey: ['products'] });
      qc.invalidateQueries({ queryKey: ['product'] });
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
        navigate(`/me/orders/${order.id}`, { state: { placed: true, payError: err instanceof Error ? err.message : String(err) } });
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
            <TextField label={t('checkout.name')} autoComplete="name" value={ship.name} onChange={set('name')} error={form.errors['shipping.name']} />
            <TextField label={t('checkout.phone')} type="tel" autoComplete="tel" value={ship.phone} onChange={set('phone')} error={form.errors['shipping.phone']} />
            <TextField label={t('checkout.address')} autoComplete="street-address" value={ship.address} onChange={set('address')} error={form.errors['shipping.address']} />
            <TextField label={t('checkout.postalCode')} autoComplete="postal-code" value={ship.postalCode} onChange={set('postalCode')} error={form.errors['shipping.postalCode']} />
            <ErrorBox error={form.error} />
            {stockProblems.length > 0 && (
              <ul className="list-inside list-disc text-sm text-red-700">
                {stockProblems.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            )}
            <Button type="submit" className="w-full" disabled={form.busy}>
              {t('checkout.placeOrder')} · {money(total)}
            </Button>
          </form>
        </Card>
      </div>
      <aside className="lg:col-span-2 lg:pt-14">
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t('checkout.summary')}</h2>
          <CartLines lines={lines} editable={false} />
          <div className="mt-3 flex justify-between border-t border-slate-200 pt-3 font-semibold">
            <span>{t('cart.total')}</span>
            <span>{money(total)}</span>
          </div>
        </Card>
      </aside>
    </div>
  );
}

export function OrderCard({ order, actions }: { order: Order; actions?: ReactNode }) {
  const t = useT();
  const money = useMoney();
  const { dateTime } = useDates();
  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <p className="font-semibold">
            {t('orders.order')}{' '}
            <Link to={`/me/orders/${order.id}`} className="font-mono text-sm text-slate-500 hover:text-indigo-700 hover:underline">
              #{order.id.slice(0, 8)}
            </Link>
          </p>
          <p className="text-sm text-slate-500">{t('orders.placedOn', { date: dateTime(order.createdAt) })}</p>
        </div>
        <StatusBadge status={order.status} />
      </div>
      <ul className="mt-3 divide-y divide-slate-100 text-sm">
        {order.items.map((it) => (
          <li key={it.productId} className="flex justify-between gap-2 py-2">
            <span>
              {it.name} <span className="text-slate-500">× {it.quantity}</span>
            </span>
            <span>{money(it.subtotal)}</span>
          </li>
        ))}
      </ul>
      {order.shipping && (
        <p className="mt-2 text-xs text-slate-500">
          {t('orders.shipTo')}: {order.shipping.name}, {order.shipping.address} {order.shipping.postalCode}
        </p>
      )}
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2 border-t border-slate-100 pt-3">
        <span className="text-lg font-bold" data-testid="order-total">{money(order.total)}</span>
        <div className="flex flex-wrap gap-2">{actions}</div>
      </div>
    </Card>
  );
}

export function MyOrdersPage() {
  const t = useT();
  const paymentsEnabled = usePaymentsEnabled();
  const qc = useQueryClient();
  const location = useLocation();
  const placed = (location.state as { placed?: string } | null)?.placed;
  const [page, setPage] = useState(1);
  const q = useQuery({ queryKey: ['orders', 'mine', page], queryFn: () => api<Page<Order>>(`/ecommerce/orders${qs({ page, limit: 10 })}`) });
  const cancel = useMutation({
    mutationFn: (id: string) => api<Order>(`/ecommerce/orders/${id}/cancel`, { method: 'POST' }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['orders'] });
      qc.invalidateQueries({ queryKey: ['product'] });
      qc.invalidateQueries({ queryKey: ['products'] });
    },
  });
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle>{t('orders.title')}</PageTitle>
      <div className="space-y-3">
        {placed && <Notice>{t('checkout.placed')}</Notice>}
        <ErrorBox error={cancel.error} />
        {q.isPending ? (
          <Loading />
        ) : q.error ? (
          <ErrorBox error={q.error} onRetry={() => q.refetch()} />
        ) : q.data.items.length === 0 ? (
          <Empty>{t('orders.none')}</Empty>
        ) : (
          <>
            {q.data.items.map((o) => (
              <OrderCard
                key={o.id}
                order={o}
                actions={
                  o.status === 'pending' && (
                    <>
                      <Button variant="danger" disabled={cancel.isPending} onClick={() => window.confirm(t('orders.cancelConfirm')) && cancel.mutate(o.id)}>
                        {t('orders.cancel')}
                      </Button>
                      {paymentsEnabled && <PayNowButton purpose="order" targetId={o.id} />}
                    </>
                  )
                }
              />
            ))}
            <Pagination page={q.data.page} limit={q.data.limit} total={q.data.total} onPage={setPage} />
          </>
        )}
      </div>
    </div>
  );
}

export function OrderPage() {
  const { id = '' } = useParams();
  const t = useT();
  const paymentsEnabled = usePaymentsEnabled();
  const qc = useQueryClient();
  const location = useLocation();
  const state = location.state as { placed?: boolean; payError?: string } | null;
  const q = useQuery({ queryKey: ['order', id], queryFn: () => api<Order>(`/ecommerce/orders/${id}`) });
  const cancel = useMutation({
    mutationFn: () => api<Order>(`/ecommerce/orders/${id}/cancel`, { method: 'POST' }),
    onSuccess: (o) => {
      qc.setQueryData(['order', id], o);
      qc.invalidateQueries({ queryKey: ['orders'] });
      qc.invalidateQueries({ queryKey: ['product'] });
      qc.invalidateQueries({ queryKey: ['products'] });
    },
  });
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle
        actions={
          <ButtonLink variant="secondary" to="/me/orders">
            {t('orders.backToList')}
          </ButtonLink>
        }
      >
        {t('orders.detailTitle')}
      </PageTitle>
      <div className="space-y-3">
        {state?.placed && <Notice>{t('checkout.placed')}</Notice>}
        {state?.payError && q.data?.status === 'pending' && (
          <Notice tone="info">
            {t('pay.startFailed')} ({state.payError})
          </Notice>
        )}
        <ErrorBox error={cancel.error} />
        {q.isPending ? (
          <Loading />
        ) : q.error ? (
          <ErrorBox error={q.error} onRetry={() => q.refetch()} />
        ) : (
          <OrderCard
            order={q.data}
            actions={
              q.data.status === 'pending' && (
                <>
                  <Button variant="danger" disabled={cancel.isPending} onClick={() => window.confirm(t('orders.cancelConfirm')) && cancel.mutate()}>
                    {t('orders.cancel')}
                  </Button>
                  {paymentsEnabled && <PayNowButton purpose="order" targetId={q.data.id} />}
                </>
              )
            }
          />
        )}
      </div>
    </div>
  );
}
