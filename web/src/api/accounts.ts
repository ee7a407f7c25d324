// Accounts: auth and users. The session's tokens live in store/auth.ts; this owns the URLs and the
// query keys of the signed-in user and of the admin's user list.
import type { QueryClient } from '@tanstack/react-query';
import { api, qs } from './client';
import type { AuthResult, Page, Role, User } from './types';

export const accountKeys = {
  all: ['accounts'] as const,
  meAll: ['accounts', 'me'] as const,
  me: (signedIn: boolean) => ['accounts', 'me', signedIn] as const,
  users: (f: { q?: string; page?: number }) => ['accounts', 'users', f] as const,
};

export const accountsApi = {
  login: (email: string, password: string) => api<AuthResult>('/auth/login', { method: 'POST', body: { email, password }, auth: false }),
  register: (body: { email: string; password: string; name: string; role?: string; locale?: 'ko' | 'en' }) => api<AuthResult>('/auth/register', { method: 'POST', body, auth: false }),
  logout: (refreshToken: string) => api<null>('/auth/logout', { method: 'POST', body: { refreshToken } }),
  me: () => api<User>('/auth/me'),
  users: (f: { q?: string; page?: number; limit?: number }) => api<Page<User>>(`/users${qs({ q: f.q, page: f.page, limit: f.limit })}`),
  updateUser: (id: string, body: { name?: string; password?: string; currentPassword?: string; role?: Role; locale?: 'ko' | 'en' }) => api<User>(`/users/${id}`, { method: 'PUT', body }),
  deleteUser: (id: string) => api<null>(`/users/${id}`, { method: 'DELETE' }),
};

export function usersChanged(qc: QueryClient) {
  qc.invalidateQueries({ queryKey: accountKeys.all });
}
