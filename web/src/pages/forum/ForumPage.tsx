import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { forumApi, forumKeys } from '../../api/forum';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useListParams, usePageTitle } from '../../hooks';
import { ButtonLink, PageTitle, PagedList, SearchForm, cx } from '../../components/ui';
import { PostRow } from './PostRow';
import { useCategoryName } from './useCategoryName';

export function ForumPage() {
  const t = useT();
  usePageTitle('forum.title');
  const user = useAuth((s) => s.user);
  const { params, q, page, search, setSearch, update } = useListParams();
  const category = params.get('category') ?? '';
  const cats = useQuery({ queryKey: forumKeys.categories, queryFn: forumApi.categories });
  const categoryName = useCategoryName();
  const filters = { q, category, page, limit: 20 };
  const posts = useQuery({
    queryKey: forumKeys.posts(filters),
    queryFn: () => forumApi.posts(filters),
    placeholderData: keepPreviousData,
  });
  return (
    <div>
      <PageTitle actions={user ? <ButtonLink to="/forum/new">{t('forum.newPost')}</ButtonLink> : undefined}>{t('forum.title')}</PageTitle>
      <SearchForm className="mb-4" placeholder={t('forum.searchPlaceholder')} value={search} onChange={setSearch} onSearch={(text) => update({ q: text })} />
      <nav aria-label={t('forum.category')} className="mb-6">
        <ul className="flex flex-wrap gap-2">
          {[{ name: '', count: undefined as number | undefined }, ...(cats.data ?? [])].map((c) => (
            <li key={c.name || '__all'}>
              <button
                type="button"
                aria-pressed={category === c.name}
                onClick={() => update({ category: c.name })}
                className={cx(
                  'rounded-full px-3 py-1 text-sm ring-1 ring-inset',
                  category === c.name ? 'bg-indigo-600 font-semibold text-white ring-indigo-600' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50',
                )}
              >
                {c.name ? categoryName(c.name) : t('common.all')}
                {c.count !== undefined && <span className="ml-1 opacity-70">{c.count}</span>}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <PagedList query={posts} onPage={(p) => update({ page: String(p) })}>
        {(items) => (
          <div className="space-y-3" data-testid="post-list">
            {items.map((p) => (
              <PostRow key={p.id} post={p} query={q} />
            ))}
          </div>
        )}
      </PagedList>
    </div>
  );
}
