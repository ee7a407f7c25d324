import { Link } from 'react-router';
import { useT, type MessageKey } from '../i18n';
import { useTitle } from '../hooks';

// What was not found, and where to go back to instead.
const kinds = {
  project: { text: 'notFound.project', back: '/projects', backText: 'notFound.backProjects' },
  product: { text: 'notFound.product', back: '/shop', backText: 'notFound.backShop' },
  post: { text: 'notFound.post', back: '/forum', backText: 'notFound.backForum' },
  display: { text: 'notFound.display', back: '/admin/displays', backText: 'notFound.backDisplays' },
  order: { text: 'notFound.order', back: '/me/orders', backText: 'notFound.backOrders' },
} satisfies Record<string, { text: MessageKey; back: string; backText: MessageKey }>;

export type NotFoundKind = keyof typeof kinds;

/** The 404 page: an unknown address, or (with `what`) a project, product, post, display or order that is not there. */
export function NotFoundPage({ what }: { what?: NotFoundKind }) {
  const t = useT();
  const kind = what ? kinds[what] : null;
  useTitle(t('common.notFound'));
  return (
    <div className="py-16 text-center" data-testid="not-found">
      <p className="text-6xl font-extrabold text-indigo-600" aria-hidden>
        404
      </p>
      <h1 className="mt-4 text-lg font-semibold text-slate-800">{kind ? t(kind.text) : t('common.notFound')}</h1>
      <div className="mt-6 flex flex-wrap justify-center gap-4">
        {kind && (
          <Link to={kind.back} className="rounded font-semibold text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
            {t(kind.backText)}
          </Link>
        )}
        <Link to="/" className="rounded font-semibold text-slate-600 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
          {t('common.backHome')}
        </Link>
      </div>
    </div>
  );
}
