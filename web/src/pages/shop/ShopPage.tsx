import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ecommerceApi, ecommerceKeys } from '../../api/ecommerce';
import { useT } from '../../i18n';
import { useListParams, usePageTitle } from '../../hooks';
import { PagedList, PageTitle, SearchForm, SelectField, cx } from '../../components/ui';
import { ProductCard } from './ProductCard';

export function ShopPage() {
  const t = useT();
  usePageTitle('shop.title');
  const { params, q, page, search, setSearch, update } = useListParams();
  const category = params.get('category') ?? '';
  const sort = params.get('sort') ?? '-createdAt';

  const cats = useQuery({ queryKey: ecommerceKeys.categories, queryFn: ecommerceApi.categories });
  const filters = { q, category, sort, page, limit: 12 };
  const products = useQuery({
    queryKey: ecommerceKeys.products(filters),
    queryFn: () => ecommerceApi.products(filters),
    placeholderData: keepPreviousData,
  });

  const catButton = (name: string, label: string, count?: number) => (
    <li key={name || '__all'}>
      <button
        type="button"
        onClick={() => update({ category: name })}
        aria-pressed={category === name}
        className={cx(
          'flex w-full items-center justify-between gap-2 whitespace-nowrap rounded-lg px-3 py-2 text-left text-sm',
          category === name ? 'bg-indigo-600 font-semibold text-white' : 'text-slate-700 hover:bg-slate-100',
        )}
      >
        <span>{label}</span>
        {count !== undefined && <span className={cx('text-xs', category === name ? 'text-indigo-100' : 'text-slate-400')}>{count}</span>}
      </button>
    </li>
  );

  return (
    <div>
      <PageTitle>{t('shop.title')}</PageTitle>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[14rem_1fr]">
        <nav aria-label={t('shop.categories')}>
          <h2 className="mb-2 hidden text-sm font-semibold text-slate-500 lg:block">{t('shop.categories')}</h2>
          <ul className="-mx-1 flex gap-1 overflow-x-auto px-1 pb-1 lg:flex-col lg:overflow-visible">
            {catButton('', t('common.all'))}
            {cats.data?.map((c) => catButton(c.name, c.name, c.count))}
          </ul>
        </nav>
        <div>
          <SearchForm className="mb-6" placeholder={t('shop.searchPlaceholder')} value={search} onChange={setSearch} onSearch={(text) => update({ q: text })}>
            <SelectField className="sm:w-52" label={t('shop.sort')} value={sort} onChange={(e) => update({ sort: e.target.value })}>
              <option value="-createdAt">{t('shop.sort.newest')}</option>
              <option value="createdAt">{t('shop.sort.oldest')}</option>
              <option value="price">{t('shop.sort.priceAsc')}</option>
              <option value="-price">{t('shop.sort.priceDesc')}</option>
            </SelectField>
          </SearchForm>
          <PagedList query={products} onPage={(p) => update({ page: String(p) })}>
            {(items) => (
              <div className="grid grid-cols-2 gap-3 sm:gap-4 md:grid-cols-3">
                {items.map((p) => (
                  <ProductCard key={p.id} product={p} />
                ))}
              </div>
            )}
          </PagedList>
        </div>
      </div>
    </div>
  );
}
