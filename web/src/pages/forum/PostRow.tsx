import { useMemo } from 'react';
import { Link } from 'react-router';
import { markdownText } from '../../lib/markdown';
import type { Post } from '../../api/types';
import { useT } from '../../i18n';
import { useDates } from '../../hooks';
import { Highlight } from '../../components/Highlight';
import { useCategoryName } from './useCategoryName';

export function PostRow({ post, query = '' }: { post: Post; query?: string }) {
  const t = useT();
  const { date } = useDates();
  const categoryName = useCategoryName();
  // The preview is the post's text without its Markdown marks.
  const preview = useMemo(() => markdownText(post.content), [post.content]);
  return (
    <article className="relative rounded-xl bg-white p-4 ring-1 ring-slate-200 transition hover:ring-indigo-300">
      <div className="mb-1 flex flex-wrap items-center gap-2 text-xs">
        <span className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-700">{categoryName(post.category)}</span>
        {post.pinned && <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-800">{t('forum.pinned')}</span>}
        {post.locked && <span className="rounded-full bg-slate-200 px-2 py-0.5 font-medium text-slate-700">{t('forum.locked')}</span>}
      </div>
      <h3 className="font-semibold text-slate-900">
        <Link to={`/forum/posts/${post.id}`} className="after:absolute after:inset-0 hover:text-indigo-700 focus:underline">
          <Highlight text={post.title} query={query} />
        </Link>
      </h3>
      <p className="mt-1 line-clamp-2 text-sm text-slate-600">
        <Highlight text={preview} query={query} />
      </p>
      <div className="mt-2 flex flex-wrap gap-x-3 text-xs text-slate-500">
        <span>{post.authorName}</span>
        <span>{date(post.createdAt)}</span>
        <span>{t('forum.comments', { count: post.commentCount })}</span>
        <span>{t('forum.likes', { count: post.likeCount })}</span>
      </div>
    </article>
  );
}
