import { useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import type { Post } from '../../api/types';
import { forumApi, forumChanged, forumKeys } from '../../api/forum';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useSubmit } from '../../hooks';
import { Button, ButtonLink, Card, FormError, TextArea } from '../../components/ui';
import { loginPath } from '../../lib/validate';
import { COMMENT_MAX, CommentItem, commentError } from './CommentItem';

export function Comments({ post }: { post: Post }) {
  const t = useT();
  const user = useAuth((s) => s.user);
  const qc = useQueryClient();
  const [content, setContent] = useState('');
  const form = useSubmit();
  // The post carries its first 100 comments; the rest come 100 at a time from /comments.
  const first = post.comments ?? [];
  const more = useInfiniteQuery({
    queryKey: forumKeys.comments(post.id),
    queryFn: ({ pageParam }) => forumApi.comments(post.id, pageParam, 100),
    initialPageParam: 2,
    getNextPageParam: (last) => (last.page * last.limit < last.total ? last.page + 1 : undefined),
    enabled: false,
  });
  const loaded = more.data?.pages.flatMap((p) => p.items) ?? [];
  const seen = new Set(first.map((c) => c.id));
  const comments = [...first, ...loaded.filter((c) => !seen.has(c.id) && seen.add(c.id))];
  const left = Math.max(0, post.commentCount - comments.length);
  const loadMore = () => (more.data ? more.fetchNextPage() : more.refetch());

  const refresh = () => forumChanged(qc);

  const submit = form.submit(
    (errs) => {
      const problem = commentError(content, t);
      if (problem) errs.content = problem;
    },
    async () => {
      await forumApi.addComment(post.id, content);
      setContent('');
      refresh();
    },
  );

  return (
    <section aria-labelledby="comments-h">
      <h2 id="comments-h" className="mb-3 text-lg font-semibold">
        {t('forum.comments', { count: post.commentCount })}
      </h2>
      {comments.length === 0 ? (
        <p className="mb-4 text-sm text-slate-500">{t('forum.noComments')}</p>
      ) : (
        <ul className="mb-4 space-y-3" data-testid="comment-list">
          {comments.map((c) => (
            <CommentItem key={c.id} comment={c} onChanged={refresh} />
          ))}
        </ul>
      )}
      {left > 0 && (
        <div className="mb-4">
          <Button variant="secondary" disabled={more.isFetching} onClick={() => void loadMore()}>
            {t('forum.moreComments', { left })}
          </Button>
        </div>
      )}
      {post.locked ? (
        <p className="text-sm text-slate-500">{t('forum.lockedNotice')}</p>
      ) : user ? (
        <Card>
          <form onSubmit={submit} noValidate className="space-y-3">
            <TextArea label={t('forum.writeComment')} rows={3} value={content} onChange={(e) => setContent(e.target.value)} {...form.field('content')} maxLength={COMMENT_MAX} />
            <FormError form={form} />
            <Button type="submit" disabled={form.busy}>
              {t('forum.postComment')}
            </Button>
          </form>
        </Card>
      ) : (
        <ButtonLink variant="secondary" to={loginPath(`/forum/posts/${post.id}`)}>
          {t('forum.loginToComment')}
        </ButtonLink>
      )}
    </section>
  );
}
