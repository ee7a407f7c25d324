import { useState } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { crowdfundingApi, crowdfundingChanged, crowdfundingKeys } from '../../api/crowdfunding';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useDates, useMoney, useTitle } from '../../hooks';
import { daysLeft, percent } from '../../lib/format';
import { Button, ButtonLink, Card, ErrorBox, Loading, Placeholder, ProgressBar, SafeImage, StatusBadge, UserText, cx } from '../../components/ui';
import { PledgeForm } from './PledgeForm';
import { BackLink } from '../../components/BackLink';
import { ProjectPledges } from './ProjectPledges';
import { LoadError } from '../../components/LoadError';
import { RequireConfig } from '../../components/guards';

export function ProjectPage() {
  const { id = '' } = useParams();
  const t = useT();
  const money = useMoney();
  const { date } = useDates();
  const user = useAuth((s) => s.user);
  const qc = useQueryClient();
  const query = useQuery({ queryKey: crowdfundingKeys.project(id), queryFn: () => crowdfundingApi.project(id) });
  const [selectedReward, setSelectedReward] = useState<string>('');
  useTitle(query.data?.title);
  // Choosing a reward card selects it in the pledge form and brings the form into view (on a phone
  // the form is far above the reward cards).
  const chooseReward = (rewardId: string) => {
    setSelectedReward(rewardId);
    const form = document.getElementById('pledge-form');
    if (!form) return;
    const r = form.getBoundingClientRect();
    if (r.top < 64 || r.bottom > window.innerHeight) form.scrollIntoView({ behavior: 'smooth', block: 'start' });
    form.focus({ preventScroll: true });
  };

  const cancel = useMutation({
    mutationFn: () => crowdfundingApi.cancel(id),
    onSuccess: (p) => crowdfundingChanged(qc, p),
  });

  if (query.isPending) return <Loading />;
  if (query.error) return <LoadError what="project" error={query.error} onRetry={() => query.refetch()} />;
  const p = query.data;
  const pct = percent(p.raised, p.goal);
  const isOwner = !!user && (user.id === p.creatorId || user.role === 'admin');

  return (
    <div>
    <BackLink to="/projects" parent={t('nav.projects')} />
    <div className="grid grid-cols-1 gap-8 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        <div>
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <StatusBadge status={p.status} />
            <span className="text-sm text-slate-500">{t('projects.ends', { date: date(p.deadline) })}</span>
          </div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{p.title}</h1>
          {p.creatorName && (
            <p className="mt-1 text-sm text-slate-600" data-testid="project-creator">
              {t('projects.creator', { name: p.creatorName })}
            </p>
          )}
        </div>
        <SafeImage
          src={p.imageUrl}
          alt=""
          className="aspect-[16/9] w-full rounded-2xl object-cover"
          fallback={<Placeholder label={p.title} seed={p.id} className="aspect-[16/9] w-full rounded-2xl" />}
        />
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t('projects.description')}</h2>
          <UserText text={p.description} className="text-slate-700" />
        </Card>
        {isOwner && (
          <Card>
            <div className="flex flex-wrap gap-2">
              <ButtonLink variant="secondary" to={`/projects/${p.id}/edit`}>
                {t('projects.edit')}
              </ButtonLink>
              {p.status === 'active' && (
                <Button variant="danger" disabled={cancel.isPending} onClick={() => window.confirm(t('projects.cancelConfirm')) && cancel.mutate()}>
                  {t('projects.cancelProject')}
                </Button>
              )}
            </div>
            <div className="mt-3">
              <ErrorBox error={cancel.error} />
            </div>
            <ProjectPledges projectId={p.id} />
          </Card>
        )}
      </div>
      <aside className="space-y-6">
        <Card>
          <p className="text-3xl font-bold text-slate-900" data-testid="project-raised">
            {money(p.raised)}
          </p>
          <p className="mb-3 text-sm text-slate-500">{t('projects.of', { goal: money(p.goal) })}</p>
          <ProgressBar value={pct} label={t('projects.funded', { pct })} />
          <dl className="mt-4 grid grid-cols-3 gap-2 text-center">
            <div>
              <dt className="text-xs text-slate-500">{t('projects.fundedLabel')}</dt>
              <dd className="font-semibold text-indigo-700" data-testid="project-percent">{pct}%</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t('projects.backersLabel')}</dt>
              <dd className="font-semibold" data-testid="project-backers">{p.backerCount}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t('projects.deadline')}</dt>
              <dd className="font-semibold">{p.status === 'active' ? t('projects.daysLeft', { days: daysLeft(p.deadline) }) : date(p.deadline)}</dd>
            </div>
          </dl>
          {p.status === 'active' && (
            <p className="mt-4 border-t border-slate-100 pt-3 text-sm text-slate-600" data-testid="project-all-or-nothing">
              {t('pledge.allOrNothing', { goal: money(p.goal), date: date(p.deadline) })}
            </p>
          )}
        </Card>
        {/* The amount a reward raises it to, and whether paying follows, depend on /config. */}
        <RequireConfig>
          <PledgeForm project={p} rewardId={selectedReward} onReward={setSelectedReward} />
        </RequireConfig>
        <section aria-labelledby="rewards-h">
          <h2 id="rewards-h" className="mb-3 text-lg font-semibold">
            {t('projects.rewards')}
          </h2>
          {p.rewards.length === 0 ? (
            <p className="text-sm text-slate-500">{t('projects.noRewards')}</p>
          ) : (
            <ul className="space-y-3">
              {p.rewards.map((r) => {
                const soldOut = r.limit !== null && r.claimed >= r.limit;
                return (
                  <li key={r.id}>
                    <button
                      type="button"
                      disabled={soldOut || p.status !== 'active'}
                      onClick={() => chooseReward(r.id)}
                      aria-pressed={selectedReward === r.id}
                      className={cx(
                        'w-full rounded-xl bg-white p-4 text-left ring-1 transition disabled:cursor-not-allowed disabled:opacity-60',
                        selectedReward === r.id ? 'ring-2 ring-indigo-600' : 'ring-slate-200 hover:ring-indigo-300',
                      )}
                    >
                      <p className="text-sm font-semibold text-indigo-700">{t('projects.rewardMin', { amount: money(r.minAmount) })}</p>
                      <p className="mt-1 font-semibold">{r.title}</p>
                      {r.description && <UserText text={r.description} className="mt-1 text-sm text-slate-600" />}
                      <p className="mt-2 text-xs text-slate-500">
                        {soldOut ? t('projects.soldOut') : r.limit !== null ? t('projects.rewardLeft', { left: r.limit - r.claimed, limit: r.limit }) : t('projects.rewardClaimed', { claimed: r.claimed })}
                      </p>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </aside>
    </div>
    </div>
  );
}
