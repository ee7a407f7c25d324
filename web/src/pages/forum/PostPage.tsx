import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { forumApi, forumChanged, forumKeys } from '../../api/forum';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useDates, useTitle } from '../../hooks';
import { BackLink } from '../../components/BackLink';
import { Button, ButtonLink, Card, ErrorBox, Loading } from '../../components/ui';
import { MarkdownText } from '../../components/MarkdownText';
import { Comments } from './Comments';
import { useCategoryName } from './useCategoryName';
import { LoadError } from '../../components/LoadError';

export function PostPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { dateTime } = useDates();
  const categoryName = useCategoryName();
  const user = useAuth((s) => s.user);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: forumKeys.post(id), queryFn: () => forumApi.post(id) });
  useTitle(q.data?.title);

  const like = useMutation({
    mutationFn: (liked: boolean) => forumApi.setLiked(id, !liked),
    onSuccess: (p) => forumChanged(qc, p),
  });
  const moderate = useMutation({
    mutationFn: (patch: { pinned?: boolean; locked?: boolean }) => forumApi.update(id, patch),
    onSuccess: (p) => forumChanged(qc, p),
  });
  const remove = useMutation({
    mutationFn: () => forumApi.remove(id),
    onSuccess: () => {
      qc.removeQueries({ queryKey: forumKeys.post(id) });
      forumChanged(qc);
      navigate('/forum');
    },
  });

  if (q.isPending) return <Loading />;
  if (q.error) return <LoadError what="post" error={q.error} onRetry={() => q.refetch()} />;
  const post = q.data;
  const canEdit = !!user && (user.id === post.authorId || user.role === 'admin');
  const isAdmin = user?.role === 'admin';

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <BackLink to="/forum" parent={t('forum.backToList')} />
      <Card>
        <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
          <Link to={`/forum?category=${encodeURIComponent(post.category)}`} className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-700 hover:bg-slate-200">
            {categoryName(post.category)}
          </Link>
          {post.pinned && <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-800">{t('forum.pinned')}</span>}
          {post.locked && <span className="rounded-full bg-slate-200 px-2 py-0.5 font-medium text-slate-700">{t('forum.locked')}</span>}
        </div>
        <h1 className="text-2xl font-bold tracking-tight" data-testid="post-title">
          {post.title}
        </h1>
        <p className="mt-1 text-sm text-slate-500">
          {post.authorName} · {dateTime(post.createdAt)}
          {new Date(post.updatedAt).getTime() - new Date(post.createdAt).getTime() > 60_000 && <> · {t('forum.edited')}</>}
        </p>
        <MarkdownText text={post.content} className="mt-5 leading-relaxed text-slate-800" />
        <div className="mt-6 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-4">
          <Button
            variant={post.likedByMe ? 'primary' : 'secondary'}
            aria-pressed={post.likedByMe}
            disabled={!user || like.isPending}
            onClick={() => like.mutate(post.likedByMe)}
            title={!user ? t('auth.loginRequired') : undefined}
          >
            <span aria-hidden>♥</span> {post.likedByMe ? t('forum.unlike') : t('forum.like')} · <span data-testid="like-count">{post.likeCount}</span>
          </Button>
          {canEdit && (
            <>
              <ButtonLink variant="secondary" to={`/forum/posts/${post.id}/edit`}>
                {t('common.edit')}
              </ButtonLink>
              <Button variant="danger" disabled={remove.isPending} onClick={() => window.confirm(t('forum.deletePostConfirm')) && remove.mutate()}>
                {t('common.delete')}
              </Button>
            </>
          )}
          {isAdmin && (
            <>
              <Button variant="ghost" onClick={() => moderate.mutate({ pinned: !post.pinned })}>
                {post.pinned ? t('forum.unpin') : t('forum.pin')}
              </Button>
              <Button variant="ghost" onClick={() => moderate.mutate({ locked: !post.locked })}>
                {post.locked ? t('forum.unlock') : t('forum.lock')}
              </Button>
            </>
          )}
        </div>
        <div className="mt-3 space-y-2">
          <ErrorBox error={like.error || moderate.error || remove.error} />
        </div>
      </Card>
      <Comments post={post} />
    </div>
  );
}
