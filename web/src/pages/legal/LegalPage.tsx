import { useConfig, usePageTitle } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { BackLink } from '../../components/BackLink';
import { Card, PageTitle } from '../../components/ui';
import { policy, type PolicyKind } from './policies';

const TITLE = { terms: 'legal.terms', privacy: 'legal.privacy', refund: 'legal.refund' } as const;

/** The terms, the privacy policy or the refund policy, with the seller's name and contact. */
export function LegalPage({ kind }: { kind: PolicyKind }) {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const { business } = useConfig();
  usePageTitle(TITLE[kind]);
  const sections = policy(kind, lang, business?.name ?? 'O4O', business?.email ?? t('legal.contactFallback'));
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <BackLink to="/" parent={t('nav.home')} />
      <PageTitle>{t(TITLE[kind])}</PageTitle>
      <Card>
        <div className="space-y-6 text-sm leading-relaxed text-slate-700">
          {sections.map((s) => (
            <section key={s.heading}>
              <h2 className="mb-2 text-base font-semibold text-slate-900">{s.heading}</h2>
              {s.body.map((p) => (
                <p key={p} className="mb-2">
                  {p}
                </p>
              ))}
            </section>
          ))}
        </div>
      </Card>
    </div>
  );
}
