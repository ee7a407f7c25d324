import { NavLink, Outlet } from 'react-router';
import { useT } from '../../i18n';
import { PageTitle, cx } from '../../components/ui';
import { usePageTitle } from '../../hooks';
import { useAccountT } from '../account/text';

export function AdminLayout() {
  const t = useT();
  const at = useAccountT();
  usePageTitle('admin.title');
  const tab = ({ isActive }: { isActive: boolean }) =>
    cx('whitespace-nowrap rounded-lg px-3 py-2 text-sm font-medium', isActive ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-100');
  return (
    <div>
      <PageTitle>{t('admin.title')}</PageTitle>
      <nav aria-label={t('admin.title')} className="-mx-1 mb-6 flex gap-1 overflow-x-auto px-1">
        <NavLink to="/admin/users" className={tab}>
          {t('admin.users')}
        </NavLink>
        <NavLink to="/admin/products" className={tab}>
          {t('admin.products')}
        </NavLink>
        <NavLink to="/admin/orders" className={tab}>
          {t('admin.orders')}
        </NavLink>
        <NavLink to="/admin/payments" className={tab}>
          {t('admin.payments')}
        </NavLink>
        <NavLink to="/admin/categories" className={tab}>
          {t('admin.categories')}
        </NavLink>
        <NavLink to="/admin/displays" className={tab}>
          {t('admin.displays')}
        </NavLink>
        <NavLink to="/admin/outbox" className={tab}>
          {at('admin.outbox')}
        </NavLink>
        <NavLink to="/admin/creator-requests" className={tab}>
          {at('admin.creatorRequests')}
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
