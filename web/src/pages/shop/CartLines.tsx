import { Link } from 'react-router';
import { useCart, type CartLine } from '../../store/cart';
import { useT } from '../../i18n';
import { useMoney } from '../../hooks';
import { Button, Placeholder, SafeImage } from '../../components/ui';
import { QuantityInput } from '../../components/QuantityInput';

function TrashIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6" />
    </svg>
  );
}

// The cart's lines. On a phone the name has the row to itself; price, quantity, remove and the
// line's total go under it. `stock` (product id → units in stock, when known) caps the quantity and
// marks a line that asks for more than there is.
export function CartLines({ lines, editable, stock = {} }: { lines: CartLine[]; editable: boolean; stock?: Record<string, number> }) {
  const t = useT();
  const money = useMoney();
  const setQuantity = useCart((s) => s.setQuantity);
  const remove = useCart((s) => s.remove);
  return (
    <ul className="divide-y divide-slate-100">
      {lines.map((l) => {
        const available = stock[l.productId];
        const over = available !== undefined && l.quantity > available;
        return (
          <li key={l.productId} className="flex gap-3 py-4" data-testid="cart-line">
            <SafeImage src={l.imageUrl} alt="" className="h-16 w-16 flex-none rounded-lg bg-slate-100 object-cover" fallback={<Placeholder label={l.name} seed={l.productId} className="h-16 w-16 flex-none rounded-lg text-xl" />} />
            <div className="min-w-0 flex-1">
              <Link to={`/shop/products/${l.productId}`} className="line-clamp-2 break-words font-medium hover:underline" data-testid="cart-line-name">
                {l.name}
              </Link>
              <p className="text-sm text-slate-500">{money(l.price)}</p>
              <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-2">
                {editable ? (
                  <>
                    <QuantityInput
                      label={`${t('shop.quantity')} — ${l.name}`}
                      labelHidden
                      value={l.quantity}
                      max={available === undefined ? null : Math.max(1, available)}
                      maxReason={t('qty.max', { n: available ?? 0 })}
                      onChange={(n) => setQuantity(l.productId, n)}
                    />
                    <Button variant="ghost" className="px-2 text-slate-600" onClick={() => remove(l.productId)}>
                      <TrashIcon />
                      {t('common.remove')}
                      <span className="sr-only"> — {l.name}</span>
                    </Button>
                  </>
                ) : (
                  <span className="text-sm text-slate-600">× {l.quantity}</span>
                )}
                <span className="ml-auto whitespace-nowrap font-semibold">
                  {money(l.price * l.quantity)}
                </span>
              </div>
              {over && (
                <div role="alert" className="mt-2 rounded-lg bg-amber-50 p-2 text-sm text-amber-900" data-testid="cart-over-stock">
                  {available > 0 ? t('cart.overStock', { name: l.name, available, quantity: l.quantity }) : t('cart.soldOutLine', { name: l.name })}{' '}
                  {editable && available > 0 && (
                    <button type="button" className="font-semibold underline" onClick={() => setQuantity(l.productId, available)}>
                      {t('cart.fixLine', { n: available })}
                    </button>
                  )}{' '}
                  <Link to={`/shop/products/${l.productId}`} className="font-semibold underline">
                    {l.name}
                  </Link>
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
