import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ecommerceApi, ecommerceKeys } from '../../api/ecommerce';
import { useCart } from '../../store/cart';
import { useT } from '../../i18n';
import { useMoney, useTitle } from '../../hooks';
import { Button, Loading, Notice, Placeholder, SafeImage, Tag, UserText, cx } from '../../components/ui';
import { QuantityInput } from '../../components/QuantityInput';
import { BackLink } from '../../components/BackLink';
import { LoadError } from '../../components/LoadError';

export function ProductPage() {
  const { id = '' } = useParams();
  const t = useT();
  const money = useMoney();
  const add = useCart((s) => s.add);
  const inCart = useCart((s) => s.lines.find((l) => l.productId === id)?.quantity ?? 0);
  const [qty, setQty] = useState(1);
  const [added, setAdded] = useState(false);
  const q = useQuery({ queryKey: ecommerceKeys.product(id), queryFn: () => ecommerceApi.product(id) });
  useTitle(q.data?.name);
  if (q.isPending) return <Loading />;
  if (q.error) return <LoadError what="product" error={q.error} onRetry={() => q.refetch()} />;
  const p = q.data;
  const max = Math.max(0, p.stock - inCart);
  return (
    <div>
    <BackLink parentTo="/shop" to={`/shop?category=${encodeURIComponent(p.category)}`} parent={t('nav.shop')} current={p.category} />
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
          <QuantityInput
            label={t('shop.quantity')}
            value={qty}
            onChange={(n) => {
              setQty(n);
              setAdded(false);
            }}
            max={Math.max(1, max)}
            maxReason={inCart > 0 ? t('qty.maxCart', { n: p.stock, inCart }) : t('qty.max', { n: p.stock })}
            disabled={max === 0}
          />
          <Button type="submit" disabled={max === 0 || qty > max}>
            {t('shop.addToCart')}
          </Button>
          {max === 0 && p.stock > 0 && <p className="w-full text-sm text-amber-800">{t('qty.maxCart', { n: p.stock, inCart })}</p>}
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
    </div>
  );
}
