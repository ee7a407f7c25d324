import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Post } from '../../api/types';
import { forumApi, forumChanged, forumKeys } from '../../api/forum';
import { useT } from '../../i18n';
import { usePageTitle, useSubmit } from '../../hooks';
import { Button, Card, FormError, PageTitle, SelectField, TextArea, TextField } from '../../components/ui';
import { useCategoryName } from './useCategoryName';

const CATEGORY_RE = /^[a-z0-9-]{1,40}$/;

export function PostForm({ post }: { post?: Post }) {
  const t = useT();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [title, setTitle] = useState(post?.title ?? '');
  const [content, setContent] = useState(post?.content ?? '');
  const [category, setCategory] = useState(post?.category ?? params.get('category') ?? 'general');
  const [creating, setCreating] = useState(false);
  const form = useSubmit();
  usePageTitle(post ? 'forum.editPost' : 'forum.newPost');
  // The categories in use (and this post's, and general) to pick from; a new one can be typed.
  const categories = useQuery({ queryKey: forumKeys.categories, queryFn: forumApi.categories });
  const categoryName = useCategoryName();
  const choices = [...new Set(['general', ...(categories.data ?? []).map((c) => c.name), post?.category ?? 'general'])].sort();

  const submit = form.submit(
    (errs) => {
      if (!title.trim()) errs.title = t('common.required');
      else if (title.length > 200) errs.title = '≤ 200';
      if (!content.trim()) errs.content = t('common.required');
      else if (content.length > 50000) errs.content = '≤ 50000';
      if (!CATEGORY_RE.test(category)) errs.category = t('forum.categoryInvalid');
    },
    async () => {
      const body = { title: title.trim(), content, category };
      const saved = post ? await forumApi.update(post.id, body) : await forumApi.create(body);
      forumChanged(qc, saved);
      navigate(`/forum/posts/${saved.id}`);
    },
  );

  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle>{post ? t('forum.editPost') : t('forum.newPost')}</PageTitle>
      <Card>
        <form onSubmit={submit} noValidate className="space-y-4">
          <TextField label={t('forum.fieldTitle')} value={title} onChange={(e) => setTitle(e.target.value)} {...form.field('title')} maxLength={200} />
          <SelectField
            label={t('forum.fieldCategory')}
            value={creating ? '__new__' : category}
            onChange={(e) => {
              form.clear('category');
              if (e.target.value === '__new__') {
                setCreating(true);
                setCategory('');
              } else {
                setCreating(false);
                setCategory(e.target.value);
              }
            }}
            {...(creating ? {} : form.field('category'))}
          >
            {(choices.includes(category) || creating ? choices : [...choices, category]).map((c) => (
              <option key={c} value={c}>
                {categoryName(c) === c ? c : `${categoryName(c)} (${c})`}
              </option>
            ))}
            <option value="__new__">{t('forum.newCategory')}</option>
          </SelectField>
          {creating && (
            <TextField label={t('forum.newCategoryName')} value={category} onChange={(e) => setCategory(e.target.value.toLowerCase())} {...form.field('category')} hint={t('forum.categoryHint')} autoFocus />
          )}
          <TextArea label={t('forum.fieldContent')} rows={12} value={content} onChange={(e) => setContent(e.target.value)} {...form.field('content')} hint={t('forum.markdownHint')} />
          <FormError form={form} />
          <div className="flex gap-2">
            <Button type="submit" disabled={form.busy}>
              {post ? t('common.save') : t('forum.publish')}
            </Button>
            <Button variant="ghost" onClick={() => navigate(-1)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
