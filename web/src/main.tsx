import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import './index.css';
import { ApiError, onSessionExpired } from './api/client';
import { accountKeys, accountsApi } from './api/accounts';
import type { User } from './api/types';
import { useAuth } from './store/auth';
import { useLang } from './i18n';
import { Layout } from './components/Layout';
import { RequireAuth } from './components/guards';
import { ErrorPage } from './pages/ErrorPage';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { LoginPage } from './pages/auth/LoginPage';
import { RegisterPage } from './pages/auth/RegisterPage';
import { ProfilePage } from './pages/profile/ProfilePage';
import { MyPledgesPage } from './pages/crowdfunding/MyPledgesPage';
import { MyProjectsPage } from './pages/crowdfunding/MyProjectsPage';
import { ProjectFormPage } from './pages/crowdfunding/ProjectFormPage';
import { ProjectPage } from './pages/crowdfunding/ProjectPage';
import { ProjectsPage } from './pages/crowdfunding/ProjectsPage';
import { CartPage } from './pages/shop/CartPage';
import { CheckoutPage } from './pages/shop/CheckoutPage';
import { MyOrdersPage } from './pages/shop/MyOrdersPage';
import { OrderPage } from './pages/shop/OrderPage';
import { ProductPage } from './pages/shop/ProductPage';
import { ShopPage } from './pages/shop/ShopPage';
import { SimCheckoutPage } from './pages/pay/SimCheckout';
import { PayFailPage, PaySuccessPage } from './pages/pay/PayResult';
import { AdminPaymentsPage } from './pages/admin/payments/AdminPaymentsPage';
import { ForumPage } from './pages/forum/ForumPage';
import { PostFormPage } from './pages/forum/PostFormPage';
import { PostPage } from './pages/forum/PostPage';
import { AdminLayout } from './pages/admin/AdminLayout';
import { AdminOrdersPage } from './pages/admin/AdminOrdersPage';
import { AdminProductsPage } from './pages/admin/AdminProductsPage';
import { AdminUsersPage } from './pages/admin/AdminUsersPage';
import { AdminDisplayPage } from './pages/admin/displays/AdminDisplayPage';
import { AdminDisplaysPage } from './pages/admin/displays/AdminDisplaysPage';
import { SignagePlayerPage } from './pages/signage/SignagePlayerPage';
import { ForgotPasswordPage } from './pages/account/ForgotPasswordPage';
import { ResetPasswordPage } from './pages/account/ResetPasswordPage';
import { VerifyEmailPage } from './pages/account/VerifyEmailPage';
import { AdminOutboxPage } from './pages/admin/AdminOutboxPage';
import { AdminCreatorRequestsPage } from './pages/admin/AdminCreatorRequestsPage';
import { AdminCategoriesPage } from './pages/admin/AdminCategoriesPage';
import { LegalPage } from './pages/legal/LegalPage';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (count, err) => {
        if (err instanceof ApiError && err.status > 0 && err.status < 500) return false;
        // a lost network is tried a few more times (and again when the browser is back online)
        if (err instanceof ApiError && err.status === 0) return count < 4;
        return count < 2;
      },
      refetchOnWindowFocus: true,
    },
  },
});

/** Keeps the signed-in user fresh (name or role changed elsewhere). */
function SessionSync() {
  const token = useAuth((s) => s.accessToken);
  const me = useQuery({ queryKey: accountKeys.me(!!token), queryFn: accountsApi.me, enabled: !!token, staleTime: 60_000 });
  useEffect(() => {
    if (me.data) useAuth.getState().setUser(me.data);
  }, [me.data]);
  return null;
}

function Root() {
  return (
    <>
      <SessionSync />
      <Layout />
    </>
  );
}

const auth = (el: React.ReactNode, roles?: User['role'][]) => <RequireAuth roles={roles}>{el}</RequireAuth>;

const router = createBrowserRouter([
  { path: '/signage/player/:id', element: <SignagePlayerPage />, errorElement: <ErrorPage /> },
  // the sim provider's hosted checkout stands alone, as a provider's payment window would
  { path: '/pay/sim/:paymentId', element: auth(<SimCheckoutPage />), errorElement: <ErrorPage /> },
  {
    path: '/',
    element: <Root />,
    errorElement: <ErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'register', element: <RegisterPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'verify-email', element: <VerifyEmailPage /> },
      { path: 'me', element: auth(<ProfilePage />) },
      { path: 'me/pledges', element: auth(<MyPledgesPage />) },
      { path: 'me/projects', element: auth(<MyProjectsPage />, ['creator', 'admin']) },
      { path: 'me/orders', element: auth(<MyOrdersPage />) },
      { path: 'me/orders/:id', element: auth(<OrderPage />) },
      { path: 'pay/success', element: auth(<PaySuccessPage />) },
      { path: 'pay/fail', element: auth(<PayFailPage />) },
      { path: 'projects', element: <ProjectsPage /> },
      { path: 'projects/new', element: auth(<ProjectFormPage />) },
      { path: 'projects/:id', element: <ProjectPage /> },
      { path: 'projects/:id/edit', element: auth(<ProjectFormPage />) },
      { path: 'shop', element: <ShopPage /> },
      { path: 'shop/products/:id', element: <ProductPage /> },
      { path: 'cart', element: <CartPage /> },
      { path: 'checkout', element: auth(<CheckoutPage />) },
      { path: 'forum', element: <ForumPage /> },
      { path: 'forum/new', element: auth(<PostFormPage />) },
      { path: 'forum/posts/:id', element: <PostPage /> },
      { path: 'forum/posts/:id/edit', element: auth(<PostFormPage />) },
      { path: 'terms', element: <LegalPage kind="terms" /> },
      { path: 'privacy', element: <LegalPage kind="privacy" /> },
      { path: 'refund-policy', element: <LegalPage kind="refund" /> },
      {
        path: 'admin',
        element: auth(<AdminLayout />, ['admin']),
        children: [
          { index: true, element: <Navigate to="/admin/users" replace /> },
          { path: 'users', element: <AdminUsersPage /> },
          { path: 'products', element: <AdminProductsPage /> },
          { path: 'orders', element: <AdminOrdersPage /> },
          { path: 'payments', element: <AdminPaymentsPage /> },
          { path: 'outbox', element: <AdminOutboxPage /> },
          { path: 'creator-requests', element: <AdminCreatorRequestsPage /> },
          { path: 'categories', element: <AdminCategoriesPage /> },
          { path: 'displays', element: <AdminDisplaysPage /> },
          { path: 'displays/:id', element: <AdminDisplayPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

// The session is over and cannot be renewed: forget it and say so. A page that needs an account
// then sends the user to log in and back (RequireAuth keeps where they were; the login page shows
// why); a public page goes on working for them anonymously, with a notice and a link to log in.
onSessionExpired(() => {
  useAuth.getState().clear(true);
  queryClient.removeQueries({ queryKey: accountKeys.meAll });
});

document.documentElement.lang = useLang.getState().lang;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
