import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Pledge } from '../../api/types';
import { crowdfundingApi, crowdfundingChanged, crowdfundingKeys } from '../../api/crowdfunding';
import { PagedList } from '../../components/ui';
import { useT } from '../../i18n';
import { useDates, useMoney, usePageTitle } from '../../hooks';
import { PayNowButton } from '../pay/PayNowButton';
import { Button, Card, ErrorBox, PageTitle, StatusBadge, cx } from '../../components/ui';

export function MyPledgesPage() {
  const t = useT();
  const money = useMoney();
  const { dateTime } = useDates();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const q = useQuery({ queryKey: crowdfundingKeys.myPledges(page), queryFn: () => crowdfundingApi.myPledges(page) });
  const cancel = useMutation({
    mutationFn: crowdfundingApi.cancelPledge,
    onSuccess: (r) => crowdfundingChanged(qc, r.project),
  });
  const isCancelled = (p: Pledge) => !!p.cancelledAt;
  usePageTitle('pledges.title');
  // The chosen reward's title, from each listed project (one request per project, cached).
  const projectIds = [...new Set((q.data?.items ?? []).filter((p) => p.rewardId).map((p) => p.projectId))];
  const projects = useQueries({ queries: projectIds.map((id) => ({ queryKey: crowdfundingKeys.project(id), queryFn: () => crowdfundingApi.project(id) })) });
  const rewardTitle = (p: Pledge) => {
    if (!p.rewardId) return null;
    const project = projects[projectIds.indexOf(p.projectId)]?.data;
    return project?.rewards.find((r) => r.id === p.rewardId)?.title ?? null;
  };

  return (
    <div>
      <PageTitle>{t('pledges.title')}</PageTitle>
      <ErrorBox error={cancel.error} />
      <PagedList query={q} onPage={setPage} empty={t('pledges.none')} count={false}>
        {(items) => (
          <ul className="mt-4 space-y-3">
            {items.map((p) => (
              <li key={p.id}>
                <Card className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                  <div>
                    <Link to={`/projects/${p.projectId}`} className="font-semibold text-slate-900 hover:text-indigo-700 hover:underline">
                      {p.projectTitle ?? p.projectId}
                    </Link>
                    <p className="text-sm text-slate-700" data-testid="pledge-reward">
                      {p.rewardId ? (rewardTitle(p) ? t('pledge.reward', { title: rewardTitle(p)! }) : '') : t('pledge.noReward')}
                    </p>
                    <p className="text-sm text-slate-500">{dateTime(p.createdAt)}</p>
                    {!isCancelled(p) && p.paymentStatus === 'unpaid' && p.payBy && <p className="text-sm text-amber-800">{t('pledges.payBy', { date: dateTime(p.payBy) })}</p>}
                  </div>
                  <div className="flex flex-wrap items-center gap-3">
                    <span className={cx('text-lg font-semibold', isCancelled(p) && 'text-slate-400 line-through')}>{money(p.amount)}</span>
                    {isCancelled(p) ? (
                      <StatusBadge status="cancelled" />
                    ) : (
                      <>
                        {p.paymentStatus && (
                          <span data-testid="pledge-payment">
                            <StatusBadge status={p.paymentStatus} />
                          </span>
                        )}
                        <Button variant="danger" disabled={cancel.isPending} onClick={() => window.confirm(t(p.paymentStatus === 'paid' ? 'pledges.cancelPaidConfirm' : 'pledges.cancelConfirm')) && cancel.mutate(p.id)}>
                          {t('pledges.cancel')}
                        </Button>
                        {p.paymentStatus === 'unpaid' && <PayNowButton purpose="pledge" targetId={p.id} projectId={p.projectId} />}
                      </>
                    )}
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
