// Long-lived tokens for AI assistants (the MCP server): /auth/tokens. The secret comes back once,
// when a token is made; the list never has it.
import type { QueryClient } from '@tanstack/react-query';
import { api, qs } from './client';
import type { Page } from './types';

export type TokenScope = 'read' | 'write';

export interface AssistantToken {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
}

export const assistantTokenKeys = {
  all: ['assistantTokens'] as const,
  list: (page: number) => ['assistantTokens', page] as const,
};

export const assistantTokensApi = {
  list: (page: number) => api<Page<AssistantToken>>(`/auth/tokens${qs({ page, limit: 20 })}`),
  create: (body: { name: string; scope: TokenScope; expiresInDays?: number }) =>
    api<AssistantToken & { token: string }>('/auth/tokens', { method: 'POST', body }),
  revoke: (id: string) => api<null>(`/auth/tokens/${id}`, { method: 'DELETE' }),
};

export function assistantTokensChanged(qc: QueryClient) {
  qc.invalidateQueries({ queryKey: assistantTokenKeys.all });
}
