// Crowdfunding: the API's URLs, this domain's query keys, and what a change makes stale. Every key
// starts with 'crowdfunding', so a change to a project or a pledge (which moves `raised`, the
// backer count, a reward's claims and the backer's list) refreshes the whole domain at once.
import type { QueryClient } from '@tanstack/react-query';
import { api, qs } from './client';
import type { Page, Pledge, Project } from './types';

export interface ProjectFilters {
  q?: string;
  status?: string;
  creatorId?: string;
  /** newest (default), popular or ending */
  sort?: string;
  page?: number;
  limit?: number;
}

export interface NewProject {
  title: string;
  description: string;
  imageUrl?: string;
  goal: number;
  deadline: string;
  rewards: { title: string; description?: string; minAmount: number; limit?: number }[];
}

export interface ProjectPatch {
  title?: string;
  description?: string;
  goal?: number;
  deadline?: string;
  /** null removes the image */
  imageUrl?: string | null;
}

export interface RewardBody {
  title: string;
  description?: string;
  minAmount: number;
  limit?: number | null;
}

export const crowdfundingKeys = {
  all: ['crowdfunding'] as const,
  projects: (f: ProjectFilters) => ['crowdfunding', 'projects', f] as const,
  project: (id: string) => ['crowdfunding', 'project', id] as const,
  projectPledges: (projectId: string, page: number) => ['crowdfunding', 'project-pledges', projectId, page] as const,
  myPledges: (page: number) => ['crowdfunding', 'my-pledges', page] as const,
};

export const crowdfundingApi = {
  projects: (f: ProjectFilters) => api<Page<Project>>(`/crowdfunding/projects${qs({ q: f.q, status: f.status, creatorId: f.creatorId, sort: f.sort, page: f.page, limit: f.limit })}`),
  project: (id: string) => api<Project>(`/crowdfunding/projects/${id}`),
  create: (body: NewProject) => api<Project>('/crowdfunding/projects', { method: 'POST', body }),
  update: (id: string, body: ProjectPatch) => api<Project>(`/crowdfunding/projects/${id}`, { method: 'PUT', body }),
  cancel: (id: string) => api<Project>(`/crowdfunding/projects/${id}/cancel`, { method: 'POST' }),
  addReward: (projectId: string, body: RewardBody) => api<Project>(`/crowdfunding/projects/${projectId}/rewards`, { method: 'POST', body }),
  updateReward: (projectId: string, rewardId: string, body: Partial<RewardBody>) => api<Project>(`/crowdfunding/projects/${projectId}/rewards/${rewardId}`, { method: 'PUT', body }),
  retireReward: (projectId: string, rewardId: string) => api<null>(`/crowdfunding/projects/${projectId}/rewards/${rewardId}`, { method: 'DELETE' }),
  fund: (projectId: string, body: { amount: number; rewardId?: string }, idempotencyKey: string) =>
    api<{ pledge: Pledge; project: Project }>(`/crowdfunding/projects/${projectId}/fund`, { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
  projectPledges: (projectId: string, page: number, limit = 10) => api<Page<Pledge>>(`/crowdfunding/projects/${projectId}/pledges${qs({ page, limit })}`),
  myPledges: (page: number, limit = 20) => api<Page<Pledge>>(`/crowdfunding/pledges${qs({ page, limit })}`),
  cancelPledge: (id: string) => api<Pledge & { project: Project }>(`/crowdfunding/pledges/${id}/cancel`, { method: 'POST' }),
};

/** A project or a pledge changed: keep the project the server answered with, refresh the rest. */
export function crowdfundingChanged(qc: QueryClient, project?: Project) {
  if (project) qc.setQueryData(crowdfundingKeys.project(project.id), project);
  qc.invalidateQueries({ queryKey: crowdfundingKeys.all });
}
