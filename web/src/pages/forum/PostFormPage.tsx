import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { forumApi, forumKeys } from '../../api/forum';
import { Loading } from '../../components/ui';
import { PostForm } from './PostForm';
import { LoadError } from '../../components/LoadError';

export function PostFormPage() {
  const { id } = useParams();
  const editing = !!id;
  const q = useQuery({ queryKey: forumKeys.post(id ?? ''), queryFn: () => forumApi.post(id ?? ''), enabled: editing });
  if (editing && q.isPending) return <Loading />;
  if (editing && q.error) return <LoadError what="post" error={q.error} onRetry={() => q.refetch()} />;
  return <PostForm post={editing ? q.data : undefined} />;
}
