import { useEffect, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../api/client';
import type { Order, OrderStatus, Page, Product, Role, User } from '../../api/types';
import { useT, type MessageKey } from '../../i18n';
import { useConfig, useDates, useMoney, useSubmit } from '../../hooks';
import { minorToInput, parseMoney } from '../../lib/money';
import { Button, Card, Empty, ErrorBox, Loading, Notice, PageTitle, Pagination, Placeholder, SafeImage, TextArea, TextField, cx } from '../../components/ui';
import { OrderCard } from '../shop/OrderCard';

export function AdminLayout() {
  const t = useT();
  const tab = ({ isActive }: { isActive: boolean }) =>
    cx('whitespace-nowrap rounded-lg px-3 py-2 text-sm font-medium', isActive ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-100');
  return (
    <div>
      <PageTitle>{t('admin.title')}</PageTitle>
      <nav aria-label={t('admin.title')} className="-mx-1 mb-6 flex gap-1 overflow-x-auto px-1">
        <NavLink to="/admin/users" className={tab}>
          {t('admin.users')}
        </NavLink>
        <NavLink to="/admin/products" className={tab}>
          {t('admin.products')}
        </NavLink>
        <NavLink to="/admin/orders" className={tab}>
          {t('admin.orders')}
        </NavLink>
        <NavLink to="/admin/payments" className={tab}>
          {t('admin.payments')}
        </NavLink>
        <NavLink to="/admin/displays" className={tab}>
          {t('admin.displays')}
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}

export function AdminUsersPage() {
  const t = useT();
  const { date } = useDates();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const users = useQuery({
    queryKey: ['admin-users', search, page],
    queryFn: () => api<Page<User>>(`/users${qs({ q: search, page, limit: 20 })}`),
    placeholderData: keepPreviousData,
  });
  const setRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => api<User>(`/users/${id}`, { method: 'PUT', body: { role } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin-users'] }),
  });
  return (
    <div className="space-y-4">
      <form
        role="search"
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
          setPage(1);
        }}
      >
        <TextField className="flex-1" type="search" label={t('common.search')} placeholder={t('admin.searchUsers')} value={q} onChange={(e) => setQ(e.target.value)} />
        <Button type="submit">{t('common.search')}</Button>
      </form>
      <ErrorBox error={setRole.error} />
      {users.isPending ? (
        <Loading />
      ) : users.error ? (
        <ErrorBox error={users.error} onRetry={() => users.refetch()} />
      ) : users.data.items.length === 0 ? (
        <Empty />
      ) : (
        <Card className="overflow-x-auto p-0 sm:p-0">
          <table className="w-full min-w-[36rem] text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-4 py-3">{t('auth.name')}</th>
                <th className="px-4 py-3">{t('auth.email')}</th>
                <th className="px-4 py-3">{t('profile.memberSince')}</th>
                <th className="px-4 py-3">{t('admin.role')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <td className="px-4 py-3 font-medium">{u.name}</td>
                  <td className="px-4 py-3">{u.email}</td>
                  <td className="px-4 py-3 text-slate-500">{date(u.createdAt)}</td>
                  <td className="px-4 py-3">
                    <label className="sr-only" htmlFor={`role-${u.id}`}>
                      {t('admin.role')} — {u.email}
                    </label>
                    <select
                      id={`role-${u.id}`}
                      value={u.role}
                      disabled={setRole.isPending}
                      onChange={(e) => setRole.mutate({ id: u.id, role: e.target.value as Role })}
                      className="rounded-md border-0 py-1 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
                    >
                      {(['user', 'creator', 'admin'] as Role[]).map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {users.data && <Pagination page={users.data.page} limit={users.data.limit} total={users.data.total} onPage={setPage} />}
    </div>
  );
}

interface ProductDraft {
  name: string;
  description: string;
  imageUrl: string;
  price: string;
  category: string;
  stock: string;
}

function ProductForm({ product, onDone }: { product?: Product; onDone: () => void }) {
  const t = useT();
  const cfg = useConfig();
  const qc = useQueryClient();
  const [d, setD] = useState<ProductDraft>(() => ({
    name: product?.name ?? '',
    description: product?.description ?? '',
    imageUrl: product?.imageUrl ?? '',
    price: product ? minorToInput(product.price, cfg.fractionDigits) : '',
    category: product?.category ?? '',
    stock: product ? String(product.stock) : '0',
  }));
  const form = useSubmit();
  const set = (k: keyof ProductDraft) => (e: { target: { value: string } }) => setD((x) => ({ ...x, [k]: e.target.value }));

  const submit = form.submit(
    (errs) => {
      if (!d.name.trim()) errs.name = t('common.required');
      if (!d.category.trim()) errs.category = t('common.required');
      const price = parseMoney(d.price, cfg.fractionDigits);
      if (price === null) errs.price = t('projects.amountInvalid');
      const stock = Number(d.stock);
      if (!/^\d+$/.test(d.stock.trim()) || !Number.isSafeInteger(stock)) errs.stock = '≥ 0';
      if (d.imageUrl.trim() && !/^(https?:\/\/|\/)/i.test(d.imageUrl.trim())) errs.imageUrl = 'http(s)://…';
      return { price, stock };
    },
    async ({ price, stock }) => {
      const body = {
        name: d.name.trim(),
        description: d.description,
        ...(d.imageUrl.trim() ? { imageUrl: d.imageUrl.trim() } : product?.imageUrl ? { imageUrl: null } : {}),
        price,
        category: d.category.trim(),
        stock,
      };
      if (product) await api<Product>(`/ecommerce/products/${product.id}`, { method: 'PUT', body });
      else await api<Product>('/ecommerce/products', { method: 'POST', body });
      qc.invalidateQueries({ queryKey: ['products'] });
      qc.invalidateQueries({ queryKey: ['product'] });
      qc.invalidateQueries({ queryKey: ['product-categories'] });
      onDone();
    },
  );

  return (
    <form onSubmit={submit} noValidate className="grid grid-cols-1 gap-4 sm:grid-cols-2" aria-label={product ? t('admin.editProduct') : t('admin.newProduct')}>
      <TextField label={t('admin.productName')} name="name" value={d.name} onChange={set('name')} error={form.errors.name} />
      <TextField label={t('admin.productCategory')} name="category" value={d.category} onChange={set('category')} error={form.errors.category} />
      <TextField label={t('admin.productPrice', { currency: cfg.currency })} name="price" inputMode="decimal" value={d.price} onChange={set('price')} error={form.errors.price} />
      <TextField label={t('admin.productStock')} name="stock" inputMode="numeric" value={d.stock} onChange={set('stock')} error={form.errors.stock} />
      <TextField className="sm:col-span-2" label={t('admin.productImage')} name="imageUrl" value={d.imageUrl} onChange={set('imageUrl')} error={form.errors.imageUrl} />
      <TextArea className="sm:col-span-2" label={t('admin.productDescription')} name="description" rows={3} value={d.description} onChange={set('description')} error={form.errors.description} />
      <div className="sm:col-span-2">
        <ErrorBox error={form.error} />
      </div>
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" disabled={form.busy}>
          {product ? t('common.save') : t('common.create')}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

export function AdminProductsPage() {
  const t = useT();
  const money = useMoney();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const products = useQuery({
    queryKey: ['products', 'admin', search, page],
    queryFn: () => api<Page<Product>>(`/ecommerce/products${qs({ q: search, page, limit: 20, sort: '-createdAt' })}`),
    placeholderData: keepPreviousData,
  });
  const del = useMutation({
    mutationFn: (id: string) => api(`/ecommerce/products/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['products'] });
      qc.invalidateQueries({ queryKey: ['product-categories'] });
    },
  });
  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <form
          role="search"
          className="flex flex-1 items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(q.trim());
            setPage(1);
          }}
        >
          <TextField className="flex-1" type="search" label={t('common.search')} placeholder={t('shop.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} />
          <Button type="submit" variant="secondary">
            {t('common.search')}
          </Button>
        </form>
        {!creating && <Button onClick={() => setCreating(true)}>{t('admin.newProduct')}</Button>}
      </div>
      {creating && (
        <Card>
          <h2 className="mb-4 text-lg font-semibold">{t('admin.newProduct')}</h2>
          <ProductForm onDone={() => setCreating(false)} />
        </Card>
      )}
      <ErrorBox error={del.error} />
      {products.isPending ? (
        <Loading />
      ) : products.error ? (
        <ErrorBox error={products.error} onRetry={() => products.refetch()} />
      ) : products.data.items.length === 0 ? (
        <Empty />
      ) : (
        <ul className="space-y-3">
          {products.data.items.map((p) => (
            <li key={p.id}>
              <Card>
                {editing === p.id ? (
                  <ProductForm product={p} onDone={() => setEditing(null)} />
                ) : (
                  <div className="flex flex-wrap items-center gap-3">
                    <SafeImage src={p.imageUrl} alt="" className="h-14 w-14 rounded-lg object-cover" fallback={<Placeholder label={p.name} seed={p.id} className="h-14 w-14 rounded-lg text-lg" />} />
                    <div className="min-w-0 flex-1">
                      <p className="font-semibold">{p.name}</p>
                      <p className="text-sm text-slate-500">
                        {p.category} · {money(p.price)} · <span data-testid="admin-stock">{t('shop.inStock', { count: p.stock })}</span>
                      </p>
                    </div>
                    <div className="flex gap-2">
                      <Button variant="secondary" onClick={() => setEditing(p.id)}>
                        {t('common.edit')}
                      </Button>
                      <Button variant="danger" disabled={del.isPending} onClick={() => window.confirm(t('admin.deleteProductConfirm')) && del.mutate(p.id)}>
                        {t('common.delete')}
                      </Button>
                    </div>
                  </div>
                )}
              </Card>
            </li>
          ))}
        </ul>
      )}
      {products.data && <Pagination page={products.data.page} limit={products.data.limit} total={products.data.total} onPage={setPage} />}
    </div>
  );
}

const NEXT_STATUS: Record<OrderStatus, OrderStatus[]> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export function AdminOrdersPage() {
  const t = useT();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [userId, setUserId] = useState('');
  const [filter, setFilter] = useState('');
  const [done, setDone] = useState(false);
  const orders = useQuery({
    queryKey: ['orders', 'admin', filter, page],
    queryFn: () => api<Page<Order>>(`/ecommerce/orders${qs({ userId: filter, page, limit: 10 })}`),
    placeholderData: keepPreviousData,
  });
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: OrderStatus }) =>
      status === 'cancelled' ? api<Order>(`/ecommerce/orders/${id}/cancel`, { method: 'POST' }) : api<Order>(`/ecommerce/orders/${id}/status`, { method: 'PUT', body: { status } }),
    onSuccess: () => {
      setDone(true);
      qc.invalidateQueries({ queryKey: ['orders'] });
      qc.invalidateQueries({ queryKey: ['products'] });
    },
  });
  useEffect(() => {
    if (!done) return;
    const h = setTimeout(() => setDone(false), 2500);
    return () => clearTimeout(h);
  }, [done]);
  return (
    <div className="space-y-4">
      <form
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(userId.trim());
          setPage(1);
        }}
      >
        <TextField className="flex-1" label={t('admin.userFilter')} value={userId} onChange={(e) => setUserId(e.target.value)} />
        <Button type="submit" variant="secondary">
          {t('common.search')}
        </Button>
      </form>
      <ErrorBox error={setStatus.error} />
      {done && <Notice>{t('common.saved')}</Notice>}
      {orders.isPending ? (
        <Loading />
      ) : orders.error ? (
        <ErrorBox error={orders.error} onRetry={() => orders.refetch()} />
      ) : orders.data.items.length === 0 ? (
        <Empty>{t('orders.none')}</Empty>
      ) : (
        orders.data.items.map((o) => (
          <OrderCard
            key={o.id}
            order={o}
            actions={
              NEXT_STATUS[o.status].length > 0 && (
                <label className="flex items-center gap-2 text-sm">
                  <span>{t('orders.setStatus')}</span>
                  <select
                    value=""
                    disabled={setStatus.isPending}
                    onChange={(e) => e.target.value && setStatus.mutate({ id: o.id, status: e.target.value as OrderStatus })}
                    className="rounded-md border-0 py-1 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
                  >
                    <option value="">—</option>
                    {NEXT_STATUS[o.status].map((s) => (
                      <option key={s} value={s}>
                        {t(`status.${s}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </label>
              )
            }
          />
        ))
      )}
      {orders.data && <Pagination page={orders.data.page} limit={orders.data.limit} total={orders.data.total} onPage={setPage} />}
    </div>
  );
}
