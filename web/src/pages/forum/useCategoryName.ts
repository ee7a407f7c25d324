import { useQuery } from '@tanstack/react-query';
import { forumApi, forumKeys } from '../../api/forum';
import type { ForumCategory } from '../../api/types';
import { useLang } from '../../i18n';

/** A category's name in the reader's language, else in the other one, else its slug. */
export function categoryName(c: Pick<ForumCategory, 'name' | 'names'> | undefined, slug: string, lang: 'ko' | 'en'): string {
  const names = c?.names;
  return names?.[lang] ?? names?.[lang === 'ko' ? 'en' : 'ko'] ?? slug;
}

/** slug → display name, from the (shared, cached) category list. */
export function useCategoryName(): (slug: string) => string {
  const lang = useLang((s) => s.lang);
  const cats = useQuery({ queryKey: forumKeys.categories, queryFn: forumApi.categories });
  return (slug) => categoryName(cats.data?.find((c) => c.name === slug), slug, lang);
}
