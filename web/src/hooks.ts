import { useQuery } from '@tanstack/react-query';
import { api } from './api/client';
import type { AppConfig } from './api/types';
import { useLocale } from './i18n';
import { formatMoney } from './lib/money';
import { formatDate, formatDateTime } from './lib/format';

const fallbackConfig: AppConfig = { currency: 'KRW', fractionDigits: 0, services: [] };

export function useConfig(): AppConfig {
  const q = useQuery({
    queryKey: ['config'],
    queryFn: () => api<AppConfig>('/config', { auth: false }),
    staleTime: Infinity,
    retry: 2,
  });
  return q.data ?? fallbackConfig;
}

export function useServiceEnabled(name: string): boolean {
  const { services } = useConfig();
  if (!services || services.length === 0 || services.includes('all')) return true;
  return services.includes(name);
}

export function useMoney() {
  const cfg = useConfig();
  const locale = useLocale();
  return (minor: number) => formatMoney(minor, cfg, locale);
}

export function useDates() {
  const locale = useLocale();
  return {
    date: (iso: string | null | undefined) => formatDate(iso, locale),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, locale),
  };
}
