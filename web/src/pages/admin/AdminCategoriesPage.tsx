import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { forumApi, forumKeys } from '../../api/forum';
import type { ForumCategory } from '../../api/types';
import { useT } from '../../i18n';
import { useSubmit } from '../../hooks';
import { Button, Card, ErrorBox, FormError, Loading, TextField } from '../../components/ui';

/** Admins name each forum category per language (PUT /forum/categories/:slug); slugs stay. */
export function AdminCategoriesPage() {
  const t = useT();
  const cats = useQuery({ queryKey: forumKeys.categories, queryFn: forumApi.categories });
  if (cats.isPending) return <Loading />;
  if (cats.error) return <ErrorBox error={cats.error} onRetry={() => cats.refetch()} />;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">{t('admin.categoriesIntro')}</p>
      {cats.data.length === 0 && <p className="text-sm text-slate-600">{t('admin.noCategories')}</p>}
      <ul className="space-y-3" aria-label={t('admin.categories')}>
        {cats.data.map((c) => (
          <li key={c.name}>
            <CategoryNamesForm category={c} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function CategoryNamesForm({ category }: { category: ForumCategory }) {
  const t = useT();
  const qc = useQueryClient();
  const [ko, setKo] = useState(category.names.ko ?? '');
  const [en, setEn] = useState(category.names.en ?? '');
  const [saved, setSaved] = useState(false);
  const form = useSubmit();
  const submit = form.submit(
    (errs) => {
      if (ko.trim().length > 60) errs['names.ko'] = '≤ 60';
      if (en.trim().length > 60) errs['names.en'] = '≤ 60';
    },
    async () => {
      await forumApi.setCategoryNames(category.name, { ko: ko.trim(), en: en.trim() });
      setSaved(true);
      qc.invalidateQueries({ queryKey: forumKeys.all });
    },
  );
  return (
    <Card>
      <form onSubmit={submit} noValidate aria-label={category.name} className="grid gap-3 sm:grid-cols-[10rem_1fr_1fr_auto] sm:items-end">
        <p className="font-mono text-sm text-slate-700 sm:pb-2">
          {category.name} <span className="text-slate-500">· {category.count}</span>
        </p>
        <TextField label={t('admin.categoryNameKo')} value={ko} onChange={(e) => { setKo(e.target.value); setSaved(false); }} {...form.field('names.ko')} maxLength={60} />
        <TextField label={t('admin.categoryNameEn')} value={en} onChange={(e) => { setEn(e.target.value); setSaved(false); }} {...form.field('names.en')} maxLength={60} />
        <div className="flex items-center gap-2">
          <Button type="submit" disabled={form.busy}>
            {t('common.save')}
          </Button>
          {saved && <span role="status" className="text-sm text-green-700">{t('admin.categorySaved')}</span>}
        </div>
        <div className="sm:col-span-4">
          <FormError form={form} />
        </div>
      </form>
    </Card>
  );
}
