import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { catalogueChanged, ecommerceApi, type ProductBody } from '../../api/ecommerce';
import type { Product } from '../../api/types';
import { useT } from '../../i18n';
import { useConfig, useSubmit } from '../../hooks';
import { minorToInput, parseMoney } from '../../lib/money';
import { Button, FormError, TextArea, TextField } from '../../components/ui';
import { MediaPicker } from '../../components/MediaPicker';
import { RequireConfig } from '../../components/guards';

interface ProductDraft {
  name: string;
  description: string;
  imageUrl: string;
  price: string;
  category: string;
  stock: string;
}

type Props = { product?: Product; onDone: () => void };

// The price field starts from the stored price in the currency's units, so it waits for /config.
export function ProductForm(props: Props) {
  return (
    <RequireConfig>
      <ProductFields {...props} />
    </RequireConfig>
  );
}

function ProductFields({ product, onDone }: Props) {
  const t = useT();
  const cfg = useConfig();
  const qc = useQueryClient();
  const [d, setD] = useState<ProductDraft>(() => ({
    name: product?.name ?? '',
    description: product?.description ?? '',
    imageUrl: product?.imageUrl ?? '',
    price: product ? minorToInput(product.price, cfg.fractionDigits) : '',
    category: product?.category ?? '',
    stock: product ? String(product.stock) : '0',
  }));
  const form = useSubmit();
  const set = (k: keyof ProductDraft) => (e: { target: { value: string } }) => setD((x) => ({ ...x, [k]: e.target.value }));

  const submit = form.submit(
    (errs) => {
      if (!d.name.trim()) errs.name = t('common.required');
      if (!d.category.trim()) errs.category = t('common.required');
      const price = parseMoney(d.price, cfg.fractionDigits);
      if (price === null) errs.price = t('projects.amountInvalid');
      const stock = Number(d.stock);
      if (!/^\d+$/.test(d.stock.trim()) || !Number.isSafeInteger(stock)) errs.stock = '≥ 0';
      if (d.imageUrl.trim() && !/^(https?:\/\/|\/)/i.test(d.imageUrl.trim())) errs.imageUrl = 'http(s)://…';
      return { price, stock };
    },
    async ({ price, stock }) => {
      const body: ProductBody = {
        name: d.name.trim(),
        description: d.description,
        ...(d.imageUrl.trim() ? { imageUrl: d.imageUrl.trim() } : product?.imageUrl ? { imageUrl: null } : {}),
        price: price ?? 0,
        category: d.category.trim(),
        stock,
      };
      if (product) await ecommerceApi.updateProduct(product.id, body);
      else await ecommerceApi.createProduct(body);
      catalogueChanged(qc);
      onDone();
    },
  );

  return (
    <form onSubmit={submit} noValidate className="grid grid-cols-1 gap-4 sm:grid-cols-2" aria-label={product ? t('admin.editProduct') : t('admin.newProduct')}>
      <TextField label={t('admin.productName')} value={d.name} onChange={set('name')} {...form.field('name')} />
      <TextField label={t('admin.productCategory')} value={d.category} onChange={set('category')} {...form.field('category')} />
      <TextField label={t('admin.productPrice', { currency: cfg.currency })} inputMode="decimal" value={d.price} onChange={set('price')} {...form.field('price')} />
      <TextField label={t('admin.productStock')} inputMode="numeric" value={d.stock} onChange={set('stock')} {...form.field('stock')} />
      <MediaPicker className="sm:col-span-2" label={t('admin.productImage')} value={d.imageUrl} onChange={(url) => setD((x) => ({ ...x, imageUrl: url }))} error={form.field('imageUrl').error} />
      <TextArea className="sm:col-span-2" label={t('admin.productDescription')} rows={3} value={d.description} onChange={set('description')} {...form.field('description')} />
      <div className="sm:col-span-2">
        <FormError form={form} />
      </div>
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" disabled={form.busy}>
          {product ? t('common.save') : t('common.create')}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
