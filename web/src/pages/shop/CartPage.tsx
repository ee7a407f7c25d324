import { Link } from 'react-router';
import { useCart } from '../../store/cart';
import { useT } from '../../i18n';
import { useMoney, usePageTitle } from '../../hooks';
import { Button, ButtonLink, Card, Empty, PageTitle } from '../../components/ui';
import { CartLines } from './CartLines';
import { useCartStock } from './useCartStock';

export function CartPage() {
  const t = useT();
  const money = useMoney();
  usePageTitle('cart.title');
  const lines = useCart((s) => s.lines);
  const stock = useCartStock(lines);
  const total = lines.reduce((n, l) => n + l.price * l.quantity, 0);
  const overStock = lines.some((l) => stock[l.productId] !== undefined && l.quantity > stock[l.productId]);
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
          <CartLines lines={lines} editable stock={stock} />
          <div className="mt-4 flex items-center justify-between border-t border-slate-200 pt-4">
            <span className="text-slate-600">{t('cart.total')}</span>
            <span className="text-2xl font-bold" data-testid="cart-total">{money(total)}</span>
          </div>
          {overStock && (
            <p className="mt-4 text-sm font-medium text-amber-900" id="cart-over-stock-note">
              {t('cart.overStockTitle')}
            </p>
          )}
          <div className="mt-4 flex flex-wrap justify-end gap-2">
            <ButtonLink variant="secondary" to="/shop">
              {t('cart.continue')}
            </ButtonLink>
            {overStock ? (
              <Button disabled aria-describedby="cart-over-stock-note">
                {t('cart.checkout')}
              </Button>
            ) : (
              <ButtonLink to="/checkout">{t('cart.checkout')}</ButtonLink>
            )}
          </div>
        </Card>
      )}
    </div>
  );
}
