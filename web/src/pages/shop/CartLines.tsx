import { Link } from 'react-router';
import { useCart, type CartLine } from '../../store/cart';
import { useT } from '../../i18n';
import { useMoney } from '../../hooks';
import { Button, Placeholder, SafeImage } from '../../components/ui';

export function CartLines({ lines, editable }: { lines: CartLine[]; editable: boolean }) {
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
