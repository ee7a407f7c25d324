import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { catalogueChanged, ecommerceApi, ecommerceKeys } from '../../api/ecommerce';
import { useT } from '../../i18n';
import { useMoney } from '../../hooks';
import { Button, Card, ErrorBox, Placeholder, SafeImage, TextField, PagedList } from '../../components/ui';
import { ProductForm } from './ProductForm';

export function AdminProductsPage() {
  const t = useT();
  const money = useMoney();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const filters = { q: search, page, limit: 20, sort: '-createdAt' };
  const products = useQuery({
    queryKey: ecommerceKeys.products(filters),
    queryFn: () => ecommerceApi.products(filters),
    placeholderData: keepPreviousData,
  });
  const del = useMutation({
    mutationFn: ecommerceApi.deleteProduct,
    onSuccess: () => catalogueChanged(qc),
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
      <PagedList query={products} onPage={setPage} count={false}>
        {(items) => (
          <ul className="space-y-3">
            {items.map((p) => (
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
      </PagedList>
    </div>
  );
}
