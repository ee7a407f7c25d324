import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Comment, Post } from '../api/types';
import { forumApi, forumChanged, forumKeys } from '../api/forum';
import { useAuth } from '../store/auth';
import { useT } from '../i18n';
import { useDates, useListParams, useSubmit } from '../hooks';
import { Button, ButtonLink, Card, ErrorBox, Loading, PageTitle, PagedList, SearchForm, TextArea, TextField, UserText, cx } from '../components/ui';
import { loginPath } from '../lib/validate';

const CATEGORY_RE = /^[a-z0-9-]{1,40}$/;

export function PostRow({ post }: { post: Post }) {
  const t = useT();
  const { date } = useDates();
  return (
    <article className="relative rounded-xl bg-white p-4 ring-1 ring-slate-200 transition hover:ring-indigo-300">
      <div className="mb-1 flex flex-wrap items-center gap-2 text-xs">
        <span className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-700">{post.category}</span>
        {post.pinned && <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-800">{t('forum.pinned')}</span>}
        {post.locked && <span className="rounded-full bg-slate-200 px-2 py-0.5 font-medium text-slate-700">{t('forum.locked')}</span>}
      </div>
      <h3 className="font-semibold text-slate-900">
        <Link to={`/forum/posts/${post.id}`} className="after:absolute after:inset-0 hover:text-indigo-700 focus:underline">
          {post.title}
        </Link>
      </h3>
      <p className="mt-1 line-clamp-2 text-sm text-slate-600">{post.content}</p>
      <div className="mt-2 flex flex-wrap gap-x-3 text-xs text-slate-500">
        <span>{post.authorName}</span>
        <span>{date(post.createdAt)}</span>
        <span>{t('forum.comments', { count: post.commentCount })}</span>
        <span>{t('forum.likes', { count: post.likeCount })}</span>
      </div>
    </article>
  );
}

export function ForumPage() {
  const t = useT();
  const user = useAuth((s) => s.user);
  const { params, q, page, search, setSearch, update } = useListParams();
  const category = params.get('category') ?? '';
  const cats = useQuery({ queryKey: forumKeys.categories, queryFn: forumApi.categories });
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
                {c.name || t('common.all')}
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
              <PostRow key={p.id} post={p} />
            ))}
          </div>
        )}
      </PagedList>
    </div>
  );
}

export function PostPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { dateTime } = useDates();
  const user = useAuth((s) => s.user);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: forumKeys.post(id), queryFn: () => forumApi.post(id) });

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
  if (q.error) return <ErrorBox error={q.error} onRetry={() => q.refetch()} />;
  const post = q.data;
  const canEdit = !!user && (user.id === post.authorId || user.role === 'admin');
  const isAdmin = user?.role === 'admin';

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Card>
        <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
          <Link to={`/forum?category=${encodeURIComponent(post.category)}`} className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-700 hover:bg-slate-200">
            {post.category}
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
        <UserText text={post.content} className="mt-5 leading-relaxed text-slate-800" />
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

const COMMENT_MAX = 10000;

// The same rule for a new comment and an edited one (the contract's 1..10000 characters).
function commentError(content: string, t: ReturnType<typeof useT>): string | undefined {
  if (!content.trim()) return t('common.required');
  if (content.length > COMMENT_MAX) return `≤ ${COMMENT_MAX}`;
  return undefined;
}

function Comments({ post }: { post: Post }) {
  const t = useT();
  const user = useAuth((s) => s.user);
  const qc = useQueryClient();
  const [content, setContent] = useState('');
  const form = useSubmit();
  const comments = post.comments ?? [];

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
        {t('forum.comments', { count: comments.length })}
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
      {post.locked ? (
        <p className="text-sm text-slate-500">{t('forum.lockedNotice')}</p>
      ) : user ? (
        <Card>
          <form onSubmit={submit} noValidate className="space-y-3">
            <TextArea label={t('forum.writeComment')} rows={3} value={content} onChange={(e) => setContent(e.target.value)} error={form.errors.content} maxLength={COMMENT_MAX} />
            <ErrorBox error={form.error} />
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

function CommentItem({ comment, onChanged }: { comment: Comment; onChanged: () => void }) {
  const t = useT();
  const { dateTime } = useDates();
  const user = useAuth((s) => s.user);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(comment.content);
  const form = useSubmit();
  const canEdit = !!user && (user.id === comment.authorId || user.role === 'admin');

  const save = form.submit(
    (errs) => {
      const problem = commentError(text, t);
      if (problem) errs.content = problem;
    },
    async () => {
      await forumApi.editComment(comment.postId, comment.id, text);
      setEditing(false);
      onChanged();
    },
  );
  const del = useMutation({
    mutationFn: () => forumApi.deleteComment(comment.postId, comment.id),
    onSuccess: onChanged,
  });

  return (
    <li className="rounded-xl bg-white p-4 ring-1 ring-slate-200">
      <div className="mb-1 flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-medium">{comment.authorName}</span>
        <span className="text-xs text-slate-500">{dateTime(comment.createdAt)}</span>
      </div>
      {editing ? (
        <form className="space-y-2" onSubmit={save}>
          <TextArea label={t('common.edit')} rows={3} value={text} onChange={(e) => setText(e.target.value)} error={form.errors.content} maxLength={COMMENT_MAX} />
          <div className="flex gap-2">
            <Button type="submit" disabled={form.busy || !text.trim()}>
              {t('common.save')}
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setEditing(false);
                setText(comment.content);
                form.reset();
              }}
            >
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <UserText text={comment.content} className="text-slate-800" />
      )}
      {canEdit && !editing && (
        <div className="mt-2 flex gap-1">
          <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
          <Button variant="ghost" className="px-2 py-1 text-xs text-red-700" onClick={() => window.confirm(t('forum.deleteCommentConfirm')) && del.mutate()}>
            {t('common.delete')}
          </Button>
        </div>
      )}
      <div className="mt-2">
        <ErrorBox error={form.error || del.error} />
      </div>
    </li>
  );
}

export function PostFormPage() {
  const { id } = useParams();
  const editing = !!id;
  const q = useQuery({ queryKey: forumKeys.post(id ?? ''), queryFn: () => forumApi.post(id ?? ''), enabled: editing });
  if (editing && q.isPending) return <Loading />;
  if (editing && q.error) return <ErrorBox error={q.error} />;
  return <PostForm post={editing ? q.data : undefined} />;
}

function PostForm({ post }: { post?: Post }) {
  const t = useT();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [title, setTitle] = useState(post?.title ?? '');
  const [content, setContent] = useState(post?.content ?? '');
  const [category, setCategory] = useState(post?.category ?? params.get('category') ?? 'general');
  const form = useSubmit();

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
          <TextField label={t('forum.fieldTitle')} name="title" value={title} onChange={(e) => setTitle(e.target.value)} error={form.errors.title} maxLength={200} />
          <TextField label={t('forum.fieldCategory')} name="category" value={category} onChange={(e) => setCategory(e.target.value.toLowerCase())} error={form.errors.category} hint={t('forum.categoryHint')} />
          <TextArea label={t('forum.fieldContent')} name="content" rows={12} value={content} onChange={(e) => setContent(e.target.value)} error={form.errors.content} />
          <ErrorBox error={form.error} />
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
