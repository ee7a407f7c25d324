import { Link } from 'react-router';
import { useCart } from '../../store/cart';
import { useT } from '../../i18n';
import { useMoney } from '../../hooks';
import { ButtonLink, Card, Empty, PageTitle } from '../../components/ui';
import { CartLines } from './CartLines';

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
