import { useQueries } from '@tanstack/react-query';
import { ecommerceApi, ecommerceKeys } from '../../api/ecommerce';
import { isNotFound } from '../../lib/errors';
import type { CartLine } from '../../store/cart';

/** Units in stock of each cart line's product as far as known (a product that is gone has none). */
export function useCartStock(lines: CartLine[]): Record<string, number> {
  const results = useQueries({
    queries: lines.map((l) => ({ queryKey: ecommerceKeys.product(l.productId), queryFn: () => ecommerceApi.product(l.productId) })),
  });
  const stock: Record<string, number> = {};
  results.forEach((r, i) => {
    if (r.data) stock[lines[i].productId] = r.data.stock;
    else if (isNotFound(r.error)) stock[lines[i].productId] = 0;
  });
  return stock;
}
