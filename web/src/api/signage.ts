// Signage (admin side): the API's URLs, query keys, and what a change makes stale. The player
// (pages/SignagePlayer.tsx) talks to the device endpoints with its own token instead.
import type { QueryClient } from '@tanstack/react-query';
import { api, API_BASE, qs } from './client';
import type { Content, Display, Page, Schedule } from './types';

export const signageKeys = {
  all: ['signage'] as const,
  displays: (page: number) => ['signage', 'displays', page] as const,
  display: (id: string) => ['signage', 'display', id] as const,
};

export const signageApi = {
  displays: (page: number, limit = 20) => api<Page<Display>>(`/signage/displays${qs({ page, limit })}`),
  display: (id: string) => api<Display>(`/signage/displays/${id}`),
  create: (body: { name: string; location: string }) => api<{ display: Display; deviceToken: string }>('/signage/displays', { method: 'POST', body }),
  update: (id: string, body: { name: string; location: string }) => api<Display>(`/signage/displays/${id}`, { method: 'PUT', body }),
  remove: (id: string) => api<null>(`/signage/displays/${id}`, { method: 'DELETE' }),
  rotateToken: (id: string) => api<{ deviceToken: string }>(`/signage/displays/${id}/token`, { method: 'POST' }),
  setContent: (id: string, content: Content) => api<Display>(`/signage/displays/${id}/content`, { method: 'PUT', body: content }),
  setSchedule: (id: string, schedule: Schedule) => api<Display>(`/signage/displays/${id}/schedule`, { method: 'PUT', body: schedule }),
};

/**
 * The player's own URLs: it authenticates with the display's device token, not the session, so it
 * calls them with fetch and EventSource instead of `api`.
 */
export const playerUrls = {
  display: (id: string) => `${API_BASE}/signage/displays/${encodeURIComponent(id)}`,
  stream: (id: string, token: string) => `${API_BASE}/signage/displays/${encodeURIComponent(id)}/stream?token=${encodeURIComponent(token)}`,
};

/** A display changed (or was added or removed): keep the one the server answered with, refresh the rest. */
export function displaysChanged(qc: QueryClient, display?: Display) {
  if (display) qc.setQueryData(signageKeys.display(display.id), display);
  qc.invalidateQueries({ queryKey: signageKeys.all });
}
