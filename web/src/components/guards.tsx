import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { useAuth } from '../store/auth';
import { useT } from '../i18n';
import { Empty, Loading } from './ui';
import { useConfigSettled } from '../hooks';
import { loginPath } from '../lib/validate';

export function RequireAuth({ children, roles }: { children: ReactNode; roles?: Role[] }) {
  const user = useAuth((s) => s.user);
  const token = useAuth((s) => s.refreshToken);
  const location = useLocation();
  const t = useT();
  if (!user || !token) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }
  if (roles && !roles.includes(user.role)) return <Empty>{t('common.notFound')}</Empty>;
  return <>{children}</>;
}

/**
 * Shows its children once /config has answered. A form that turns stored minor units into what it
 * shows (a price, a goal) must know the currency's fraction digits first: with the fallback's 0, a
 * USD price of 1000 would show as "1000" and be saved back as 1000.00.
 */
export function RequireConfig({ children }: { children: ReactNode }) {
  if (!useConfigSettled()) return <Loading />;
  return <>{children}</>;
}
