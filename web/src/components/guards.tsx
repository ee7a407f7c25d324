import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { useAuth } from '../store/auth';
import { useT } from '../i18n';
import { Empty } from './ui';
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
