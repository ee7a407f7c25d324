// E-commerce: the API's URLs, this domain's query keys, and what a change makes stale. An order's
// change moves stock (placing takes it, cancelling returns it), so it refreshes the catalogue too.
import type { QueryClient } from '@tanstack/react-query';
import { api, qs } from './client';
import type { Category, Order, OrderQuote, OrderStatus, Page, Product, Shipping } from './types';

export interface ProductFilters {
  q?: string;
  category?: string;
  sort?: string;
  page?: number;
  limit?: number;
}

export interface ProductBody {
  name: string;
  description: string;
  imageUrl?: string | null;
  price: number;
  category: string;
  stock: number;
}

export interface OrderLineBody {
  productId: string;
  quantity: number;
}

export interface OrderFilters {
  userId?: string;
  /** admins: the buyer's email contains this */
  email?: string;
  status?: string;
  page?: number;
  limit?: number;
}

export const ecommerceKeys = {
  all: ['ecommerce'] as const,
  catalogue: ['ecommerce', 'catalogue'] as const,
  products: (f: ProductFilters) => ['ecommerce', 'catalogue', 'products', f] as const,
  product: (id: string) => ['ecommerce', 'catalogue', 'product', id] as const,
  categories: ['ecommerce', 'catalogue', 'categories'] as const,
  /** under catalogue: a product's edit changes what its lines cost */
  quote: (items: OrderLineBody[]) => ['ecommerce', 'catalogue', 'quote', items] as const,
  orders: (f: OrderFilters) => ['ecommerce', 'orders', f] as const,
  order: (id: string) => ['ecommerce', 'order', id] as const,
};

export const ecommerceApi = {
  products: (f: ProductFilters) => api<Page<Product>>(`/ecommerce/products${qs({ q: f.q, category: f.category, sort: f.sort, page: f.page, limit: f.limit })}`),
  product: (id: string) => api<Product>(`/ecommerce/products/${id}`),
  categories: () => api<Category[]>('/ecommerce/categories'),
  createProduct: (body: ProductBody) => api<Product>('/ecommerce/products', { method: 'POST', body }),
  updateProduct: (id: string, body: ProductBody) => api<Product>(`/ecommerce/products/${id}`, { method: 'PUT', body }),
  deleteProduct: (id: string) => api<null>(`/ecommerce/products/${id}`, { method: 'DELETE' }),
  orders: (f: OrderFilters) => api<Page<Order>>(`/ecommerce/orders${qs({ userId: f.userId, email: f.email, status: f.status, page: f.page, limit: f.limit })}`),
  order: (id: string) => api<Order>(`/ecommerce/orders/${id}`),
  quoteOrder: (items: OrderLineBody[]) => api<OrderQuote>('/ecommerce/orders/quote', { method: 'POST', body: { items } }),
  placeOrder: (body: { items: OrderLineBody[]; shipping?: Shipping }, idempotencyKey: string) =>
    api<Order>('/ecommerce/orders', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
  cancelOrder: (id: string) => api<Order>(`/ecommerce/orders/${id}/cancel`, { method: 'POST' }),
  setOrderStatus: (id: string, status: OrderStatus) => api<Order>(`/ecommerce/orders/${id}/status`, { method: 'PUT', body: { status } }),
};

/** A product was created, edited or deleted. */
export function catalogueChanged(qc: QueryClient) {
  qc.invalidateQueries({ queryKey: ecommerceKeys.catalogue });
}

/** An order was placed or changed state: the orders, and the stock it took or returned. */
export function ordersChanged(qc: QueryClient, order?: Order) {
  if (order) qc.setQueryData(ecommerceKeys.order(order.id), order);
  qc.invalidateQueries({ queryKey: ecommerceKeys.all });
}
