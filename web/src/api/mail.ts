// Accounts II: email verification, password recovery, creator requests and the mail outbox.
import { api, qs } from './client';
import type { Page, User } from './types';

export interface CreatorRequest {
  id: string;
  userId: string;
  userName: string;
  userEmail: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  decisionReason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface OutboxMail {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export const mailKeys = {
  all: ['mail'] as const,
  outbox: (f: { page?: number; status?: string }) => ['mail', 'outbox', f] as const,
  creatorRequests: (f: { page?: number; status?: string }) => ['mail', 'creator-requests', f] as const,
  myCreatorRequest: ['mail', 'my-creator-request'] as const,
};

export const mailApi = {
  forgot: (email: string) => api<null>('/auth/password/forgot', { method: 'POST', body: { email }, auth: false }),
  reset: (token: string, password: string) => api<null>('/auth/password/reset', { method: 'POST', body: { token, password }, auth: false }),
  verify: (token: string) => api<User>('/auth/verify-email', { method: 'POST', body: { token }, auth: false }),
  requestVerification: () => api<null>('/auth/verify-email/request', { method: 'POST' }),
  myCreatorRequest: () => api<CreatorRequest | null>('/users/me/creator-request'),
  askCreator: (reason: string) => api<CreatorRequest>('/users/me/creator-request', { method: 'POST', body: { reason } }),
  creatorRequests: (f: { page?: number; status?: string }) => api<Page<CreatorRequest>>(`/users/creator-requests${qs({ page: f.page, status: f.status })}`),
  decide: (userId: string, approve: boolean, reason?: string) =>
    api<User>(`/users/${userId}/creator-request/${approve ? 'approve' : 'reject'}`, { method: 'POST', body: approve ? undefined : { reason: reason || undefined } }),
  outbox: (f: { page?: number; status?: string }) => api<Page<OutboxMail>>(`/admin/outbox${qs({ page: f.page, status: f.status })}`),
  updateMailSettings: (id: string, body: { locale?: 'ko' | 'en'; notifyNewPledges?: boolean; notifyPaidOrders?: boolean; email?: string; currentPassword?: string }) =>
    api<User>(`/users/${id}`, { method: 'PUT', body }),
};
