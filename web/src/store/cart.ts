import { create } from 'zustand';

export interface CartLine {
  productId: string;
  name: string;
  price: number;
  imageUrl: string | null;
  quantity: number;
}

const CART_KEY = 'o4o.cart';

function load(): CartLine[] {
  try {
    const v = JSON.parse(localStorage.getItem(CART_KEY) ?? '[]');
    return Array.isArray(v)
      ? v.filter((l) => l && typeof l.productId === 'string' && Number.isInteger(l.quantity) && l.quantity > 0)
      : [];
  } catch {
    return [];
  }
}

function save(lines: CartLine[]) {
  try {
    localStorage.setItem(CART_KEY, JSON.stringify(lines));
  } catch {
    /* ignore */
  }
}

interface CartState {
  lines: CartLine[];
  add: (line: Omit<CartLine, 'quantity'>, quantity?: number) => void;
  setQuantity: (productId: string, quantity: number) => void;
  remove: (productId: string) => void;
  clear: () => void;
}

export const useCart = create<CartState>((set, get) => {
  const update = (lines: CartLine[]) => {
    save(lines);
    set({ lines });
  };
  return {
    lines: load(),
    add: (line, quantity = 1) => {
      const lines = get().lines;
      const existing = lines.find((l) => l.productId === line.productId);
      update(
        existing
          ? lines.map((l) => (l.productId === line.productId ? { ...l, ...line, quantity: l.quantity + quantity } : l))
          : [...lines, { ...line, quantity }],
      );
    },
    setQuantity: (productId, quantity) =>
      update(get().lines.map((l) => (l.productId === productId ? { ...l, quantity: Math.max(1, Math.floor(quantity)) } : l))),
    remove: (productId) => update(get().lines.filter((l) => l.productId !== productId)),
    clear: () => update([]),
  };
});

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === CART_KEY) useCart.setState({ lines: load() });
  });
}
