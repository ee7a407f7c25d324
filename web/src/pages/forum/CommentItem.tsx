import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { Comment } from '../../api/types';
import { forumApi } from '../../api/forum';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useDates, useSubmit } from '../../hooks';
import { Button, ErrorBox, TextArea } from '../../components/ui';
import { MarkdownText } from '../../components/MarkdownText';

export const COMMENT_MAX = 10000;

// The same rule for a new comment and an edited one (the contract's 1..10000 characters).
export function commentError(content: string, t: ReturnType<typeof useT>): string | undefined {
  if (!content.trim()) return t('common.required');
  if (content.length > COMMENT_MAX) return `≤ ${COMMENT_MAX}`;
  return undefined;
}

export function CommentItem({ comment, onChanged }: { comment: Comment; onChanged: () => void }) {
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
        <span className="text-xs text-slate-500">
          {dateTime(comment.createdAt)}
          {/* Only an edit of its text moves a comment's updatedAt. */}
          {comment.updatedAt !== comment.createdAt && <> · <span data-testid="comment-edited">{t('forum.edited')}</span></>}
        </span>
      </div>
      {editing ? (
        <form className="space-y-2" onSubmit={save}>
          <TextArea label={t('common.edit')} rows={3} value={text} onChange={(e) => setText(e.target.value)} {...form.field('content')} maxLength={COMMENT_MAX} />
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
        <MarkdownText text={comment.content} className="text-slate-800" />
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
