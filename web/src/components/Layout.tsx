import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { accountsApi } from '../api/accounts';
import { useAuth } from '../store/auth';
import { useCart } from '../store/cart';
import { useLang, useT, type Lang } from '../i18n';
import { useServiceEnabled } from '../hooks';
import { cx, Notice } from './ui';
import { loginPath } from '../lib/validate';
import { OfflineBanner } from './OfflineBanner';
import { VerifyBanner } from '../pages/account/VerifyBanner';
import { Footer } from './Footer';

export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    const { refreshToken } = useAuth.getState();
    try {
      if (refreshToken) await accountsApi.logout(refreshToken);
    } catch {
      /* the local session ends either way */
    }
    useAuth.getState().clear();
    qc.clear();
    navigate('/');
  };
}

function LangSwitch() {
  const t = useT();
  const { lang, setLang } = useLang();
  return (
    <label className="flex items-center gap-1 text-sm">
      <span className="sr-only">{t('nav.language')}</span>
      <select
        value={lang}
        onChange={(e) => {
          const next = e.target.value as Lang;
          setLang(next);
          // The language of the signed-in user's mail follows the switch.
          const user = useAuth.getState().user;
          if (user && user.locale !== next) {
            accountsApi.updateUser(user.id, { locale: next }).then((u) => useAuth.getState().setUser(u), () => {});
          }
        }}
        className="rounded-md border-0 bg-transparent py-1 pl-2 pr-7 text-sm text-slate-700 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
      >
        <option value="ko">한국어</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

export function Layout() {
  const t = useT();
  const user = useAuth((s) => s.user);
  const expired = useAuth((s) => s.expired);
  const cartCount = useCart((s) => s.lines.reduce((n, l) => n + l.quantity, 0));
  const logout = useLogout();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const crowd = useServiceEnabled('crowdfunding');
  const shop = useServiceEnabled('ecommerce');
  const forum = useServiceEnabled('forum');

  // The phone menu closes on Esc (focus goes back to its button) and when the page changes.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      document.getElementById('mobile-menu-button')?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  useEffect(() => setOpen(false), [location.pathname]);

  const links = [
    { to: '/', label: t('nav.home'), end: true, show: true },
    { to: '/projects', label: t('nav.projects'), show: crowd },
    { to: '/shop', label: t('nav.shop'), show: shop },
    { to: '/forum', label: t('nav.forum'), show: forum },
    { to: '/admin', label: t('nav.admin'), show: user?.role === 'admin' },
  ].filter((l) => l.show);

  const navClass = ({ isActive }: { isActive: boolean }) =>
    cx('rounded-md px-3 py-2 text-sm font-medium', isActive ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700 hover:bg-slate-100');

  const userLinks = user ? (
    <>
      {crowd && (user.role === 'creator' || user.role === 'admin') && (
        <NavLink to="/me/projects" className={navClass} onClick={() => setOpen(false)}>
          {t('nav.myProjects')}
        </NavLink>
      )}
      {crowd && (
        <NavLink to="/me/pledges" className={navClass} onClick={() => setOpen(false)}>
          {t('nav.myPledges')}
        </NavLink>
      )}
      {shop && (
        <NavLink to="/me/orders" className={navClass} onClick={() => setOpen(false)}>
          {t('nav.myOrders')}
        </NavLink>
      )}
      <NavLink to="/me" end className={navClass} onClick={() => setOpen(false)}>
        {t('nav.profile')}
      </NavLink>
      <button type="button" className="rounded-md px-3 py-2 text-left text-sm font-medium text-slate-700 hover:bg-slate-100" onClick={() => { setOpen(false); void logout(); }}>
        {t('nav.logout')}
      </button>
    </>
  ) : (
    <>
      <NavLink to={loginPath(location.pathname + location.search)} className={navClass} onClick={() => setOpen(false)}>
        {t('nav.login')}
      </NavLink>
      <NavLink to="/register" className={navClass} onClick={() => setOpen(false)}>
        {t('nav.register')}
      </NavLink>
    </>
  );

  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t('nav.skip')}
      </a>
      <OfflineBanner />
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex h-16 max-w-6xl items-center gap-3 px-4">
          <Link to="/" className="flex items-center gap-2 text-lg font-extrabold tracking-tight text-indigo-700">
            <span className="grid h-8 w-8 place-items-center rounded-lg bg-indigo-600 text-xs text-white">O4O</span>
            <span className="hidden sm:inline">O4O</span>
          </Link>
          <nav aria-label="Main" className="ml-2 hidden items-center gap-1 md:flex">
            {links.map((l) => (
              <NavLink key={l.to} to={l.to} end={l.end} className={navClass}>
                {l.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2">
            {shop && (
              <Link to="/cart" className="relative inline-flex items-center gap-1 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
                <svg aria-hidden viewBox="0 0 24 24" className="inline h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2">
                  <path d="M3 3h2l.4 2M7 13h10l4-8H5.4M7 13 5.4 5M7 13l-2.3 2.3c-.6.6-.2 1.7.7 1.7H17m0 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4Zm-8 2a2 2 0 1 1-4 0 2 2 0 0 1 4 0Z" />
                </svg>
                <span className="ml-1 sr-only sm:not-sr-only">{t('nav.cart')}</span>
                {cartCount > 0 && (
                  <span className="ml-1 rounded-full bg-indigo-600 px-1.5 py-0.5 text-xs font-bold text-white" data-testid="cart-count">
                    {cartCount}
                  </span>
                )}
              </Link>
            )}
            <LangSwitch />
            <div className="hidden items-center gap-1 whitespace-nowrap xl:flex">
              {user && <span className="px-2 text-sm text-slate-500" data-testid="current-user">{user.name}</span>}
              {userLinks}
            </div>
            <button
              type="button"
              className="rounded-md p-2 text-slate-700 hover:bg-slate-100 xl:hidden"
              aria-expanded={open}
              aria-controls="mobile-menu"
              id="mobile-menu-button"
              onClick={() => setOpen((o) => !o)}
            >
              <span className="sr-only">{t('nav.menu')}</span>
              <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="2">
                <path d="M4 6h16M4 12h16M4 18h16" />
              </svg>
            </button>
          </div>
        </div>
        {open && (
          <nav id="mobile-menu" aria-label="Mobile" className="flex flex-col gap-1 border-t border-slate-200 px-4 py-3 xl:hidden">
            {links.map((l) => (
              <NavLink key={l.to} to={l.to} end={l.end} className={navClass} onClick={() => setOpen(false)}>
                {l.label}
              </NavLink>
            ))}
            <div className="my-1 border-t border-slate-100" />
            {user && <span className="px-3 py-1 text-sm text-slate-500">{user.name}</span>}
            {userLinks}
          </nav>
        )}
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:py-10">
        {expired && !user && !location.pathname.startsWith('/login') && (
          <div className="mb-6">
            <Notice tone="info">
              {t('auth.sessionExpired')}{' '}
              <Link className="font-semibold underline" to={loginPath(location.pathname + location.search)}>
                {t('nav.login')}
              </Link>
            </Notice>
          </div>
        )}
        <VerifyBanner />
        <Outlet />
      </main>
      <Footer />
    </div>
  );
}
