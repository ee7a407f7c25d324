// Forum: the API's URLs, this domain's query keys, and what a change makes stale. A post's change
// (new, edited, deleted, commented, liked, pinned) can move it in any list and change the
// categories' counts, so it refreshes the whole domain.
import type { QueryClient } from '@tanstack/react-query';
import { api, qs } from './client';
import type { Comment, ForumCategory, Page, Post } from './types';

export interface PostFilters {
  q?: string;
  category?: string;
  page?: number;
  limit?: number;
}

export interface PostBody {
  title: string;
  content: string;
  category: string;
}

export const forumKeys = {
  all: ['forum'] as const,
  posts: (f: PostFilters) => ['forum', 'posts', f] as const,
  post: (id: string) => ['forum', 'post', id] as const,
  categories: ['forum', 'categories'] as const,
  comments: (postId: string) => ['forum', 'comments', postId] as const,
};

export const forumApi = {
  posts: (f: PostFilters) => api<Page<Post>>(`/forum/posts${qs({ q: f.q, category: f.category, page: f.page, limit: f.limit })}`),
  post: (id: string) => api<Post>(`/forum/posts/${id}`),
  categories: () => api<ForumCategory[]>('/forum/categories'),
  setCategoryNames: (slug: string, names: { ko: string; en: string }) => api<ForumCategory>(`/forum/categories/${encodeURIComponent(slug)}`, { method: 'PUT', body: { names } }),
  create: (body: PostBody) => api<Post>('/forum/posts', { method: 'POST', body }),
  update: (id: string, body: Partial<PostBody> & { pinned?: boolean; locked?: boolean }) => api<Post>(`/forum/posts/${id}`, { method: 'PUT', body }),
  remove: (id: string) => api<null>(`/forum/posts/${id}`, { method: 'DELETE' }),
  setLiked: (id: string, like: boolean) => api<Post>(`/forum/posts/${id}/like`, { method: like ? 'POST' : 'DELETE' }),
  comments: (postId: string, page: number, limit = 100) => api<Page<Comment>>(`/forum/posts/${postId}/comments${qs({ page, limit })}`),
  addComment: (postId: string, content: string) => api<Comment>(`/forum/posts/${postId}/comments`, { method: 'POST', body: { content } }),
  editComment: (postId: string, id: string, content: string) => api<Comment>(`/forum/posts/${postId}/comments/${id}`, { method: 'PUT', body: { content } }),
  deleteComment: (postId: string, id: string) => api<null>(`/forum/posts/${postId}/comments/${id}`, { method: 'DELETE' }),
};

/** A post or a comment changed: keep the post the server answered with (and its comments), refresh the rest. */
export function forumChanged(qc: QueryClient, post?: Post) {
  if (post) qc.setQueryData<Post>(forumKeys.post(post.id), (old) => ({ ...post, comments: post.comments ?? old?.comments }));
  qc.invalidateQueries({ queryKey: forumKeys.all });
}
