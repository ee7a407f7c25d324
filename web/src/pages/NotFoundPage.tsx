import { Link } from 'react-router';
import { useT } from '../i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <div className="py-16 text-center">
      <p className="text-6xl font-extrabold text-indigo-600">404</p>
      <p className="mt-4 text-lg text-slate-700">{t('common.notFound')}</p>
      <Link to="/" className="mt-6 inline-block font-semibold text-indigo-700 hover:underline">
        {t('common.backHome')}
      </Link>
    </div>
  );
}
