import { type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Order } from '../../api/types';
import { useT } from '../../i18n';
import { useDates, useMoney } from '../../hooks';
import { Card, StatusBadge } from '../../components/ui';
import { shortId } from '../../lib/format';

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
              #{shortId(order.id)}
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
