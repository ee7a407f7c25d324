import { useT } from '../../i18n';
import { useDates, useMoney } from '../../hooks';
import { Card, Placeholder, SafeImage, UserText } from '../../components/ui';

export interface PreviewDraft {
  title: string;
  description: string;
  imageUrl: string;
  goal: number | null;
  deadline: string;
  rewards: { title: string; description: string; minAmount: number | null; limit: number | null }[];
}

/** How the project page will show the draft, before it is published. */
export function ProjectPreview({ draft }: { draft: PreviewDraft }) {
  const t = useT();
  const money = useMoney();
  const { date } = useDates();
  const title = draft.title.trim() || t('projects.fieldTitle');
  return (
    <section aria-label={t('projects.preview')} className="mt-6 rounded-2xl border-2 border-dashed border-indigo-200 p-3" data-testid="project-preview">
      <p className="mb-3 text-xs font-semibold uppercase tracking-wide text-indigo-700">{t('projects.preview')}</p>
      <div className="space-y-4">
        <h2 className="text-2xl font-bold tracking-tight">{title}</h2>
        <SafeImage src={draft.imageUrl.trim() || null} alt="" className="aspect-[16/9] w-full rounded-2xl object-cover" fallback={<Placeholder label={title} seed={title} className="aspect-[16/9] w-full rounded-2xl" />} />
        <Card>
          <p className="text-3xl font-bold text-slate-900">{money(0)}</p>
          <p className="text-sm text-slate-500">{t('projects.of', { goal: draft.goal ? money(draft.goal) : '—' })}</p>
          {draft.goal && draft.deadline && <p className="mt-3 text-sm text-slate-600">{t('pledge.allOrNothing', { goal: money(draft.goal), date: date(new Date(draft.deadline).toISOString()) })}</p>}
        </Card>
        <Card>
          <h3 className="mb-3 text-lg font-semibold">{t('projects.description')}</h3>
          <UserText text={draft.description} className="text-slate-700" />
        </Card>
        {draft.rewards.length > 0 && (
          <ul className="space-y-3">
            {draft.rewards.map((r, i) => (
              <li key={i} className="rounded-xl bg-white p-4 ring-1 ring-slate-200">
                <p className="text-sm font-semibold text-indigo-700">{t('projects.rewardMin', { amount: r.minAmount ? money(r.minAmount) : '—' })}</p>
                <p className="mt-1 font-semibold">{r.title || '—'}</p>
                {r.description && <UserText text={r.description} className="mt-1 text-sm text-slate-600" />}
                {r.limit !== null && <p className="mt-2 text-xs text-slate-500">{t('projects.rewardLeft', { left: r.limit, limit: r.limit })}</p>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
