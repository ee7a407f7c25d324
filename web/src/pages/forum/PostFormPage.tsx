import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { forumApi, forumKeys } from '../../api/forum';
import { ErrorBox, Loading } from '../../components/ui';
import { PostForm } from './PostForm';

export function PostFormPage() {
  const { id } = useParams();
  const editing = !!id;
  const q = useQuery({ queryKey: forumKeys.post(id ?? ''), queryFn: () => forumApi.post(id ?? ''), enabled: editing });
  if (editing && q.isPending) return <Loading />;
  if (editing && q.error) return <ErrorBox error={q.error} />;
  return <PostForm post={editing ? q.data : undefined} />;
}
