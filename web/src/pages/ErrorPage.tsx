import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useT } from '../i18n';

export function ErrorPage() {
  const t = useT();
  const err = useRouteError();
  const message = isRouteErrorResponse(err) ? `${err.status} ${err.statusText}` : err instanceof Error ? err.message : t('common.error');
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-5xl font-extrabold text-indigo-600">O4O</p>
      <p className="mt-4 text-lg text-slate-700">{t('common.error')}</p>
      <p className="mt-2 text-sm text-slate-500">{message}</p>
      <a href="/" className="mt-6 inline-block font-semibold text-indigo-700 hover:underline">
        {t('common.backHome')}
      </a>
    </div>
  );
}
