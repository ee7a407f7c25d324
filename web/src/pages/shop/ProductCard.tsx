import { Link } from 'react-router';
import type { Product } from '../../api/types';
import { useT } from '../../i18n';
import { useMoney } from '../../hooks';
import { Placeholder, SafeImage, cx } from '../../components/ui';

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
