// The platform's settings for clients (currency, mounted services, the payment provider).
import { api } from './client';
import type { AppConfig } from './types';

export const configKeys = { all: ['config'] as const };

export const configApi = {
  get: () => api<AppConfig>('/config', { auth: false }),
};
