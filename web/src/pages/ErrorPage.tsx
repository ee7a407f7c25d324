import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useT } from '../i18n';

// A page that crashed or an address the router could not serve: said in the user's language, with
// the status of a routing error (never an internal message) and a way home.
export function ErrorPage() {
  const t = useT();
  const err = useRouteError();
  const status = isRouteErrorResponse(err) ? err.status : null;
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-5xl font-extrabold text-indigo-600">O4O</p>
      <h1 className="mt-4 text-lg text-slate-700">{status === 404 ? t('common.notFound') : t('common.error')}</h1>
      <a href="/" className="mt-6 inline-block font-semibold text-indigo-700 hover:underline">
        {t('common.backHome')}
      </a>
    </div>
  );
}
