import { Link } from 'react-router';
import { useConfig } from '../hooks';
import { useT } from '../i18n';

/**
 * The policies and the seller's business details (O4O_BUSINESS_*), on every page as Korean
 * e-commerce expects; a detail the server does not have is left out.
 */
export function Footer() {
  const t = useT();
  const { business } = useConfig();
  const details = [
    business?.name && `${t('legal.businessName')} ${business.name}`,
    business?.representative && `${t('legal.representative')} ${business.representative}`,
    business?.registrationNumber && `${t('legal.registrationNumber')} ${business.registrationNumber}`,
    business?.mailOrderNumber && `${t('legal.mailOrderNumber')} ${business.mailOrderNumber}`,
    business?.address && `${t('legal.address')} ${business.address}`,
    business?.phone && `${t('legal.phone')} ${business.phone}`,
    business?.email && `${t('legal.email')} ${business.email}`,
  ].filter(Boolean) as string[];
  const link = 'underline-offset-2 hover:text-slate-800 hover:underline';
  return (
    <footer className="border-t border-slate-200 bg-white py-6 text-xs text-slate-600">
      <div className="mx-auto max-w-6xl space-y-2 px-4 text-center">
        <nav aria-label={t('legal.policies')} className="flex flex-wrap justify-center gap-x-4 gap-y-1 font-medium">
          <Link className={link} to="/terms">
            {t('legal.terms')}
          </Link>
          <Link className={`${link} font-bold`} to="/privacy">
            {t('legal.privacy')}
          </Link>
          <Link className={link} to="/refund-policy">
            {t('legal.refund')}
          </Link>
        </nav>
        {details.length > 0 && (
          <address className="not-italic" data-testid="business-details">
            {details.map((d, i) => (
              <span key={d}>
                {i > 0 && <span aria-hidden> · </span>}
                <span className="whitespace-nowrap">{d}</span>
              </span>
            ))}
          </address>
        )}
        <p>O4O Platform · {t('app.tagline')}</p>
      </div>
    </footer>
  );
}
