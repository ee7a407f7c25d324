import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { crowdfundingApi, crowdfundingKeys } from '../../api/crowdfunding';
import { PagedList } from '../../components/ui';
import { useT } from '../../i18n';
import { useDates, useMoney } from '../../hooks';
import { cx } from '../../components/ui';

export function ProjectPledges({ projectId }: { projectId: string }) {
  const t = useT();
  const money = useMoney();
  const { dateTime } = useDates();
  const [page, setPage] = useState(1);
  const q = useQuery({ queryKey: crowdfundingKeys.projectPledges(projectId, page), queryFn: () => crowdfundingApi.projectPledges(projectId, page) });
  return (
    <section className="mt-6">
      <h2 className="mb-2 text-lg font-semibold">{t('projects.backersList')}</h2>
      <PagedList query={q} onPage={setPage} count={false}>
        {(items) => (
          <ul className="divide-y divide-slate-100 text-sm">
            {items.map((pl) => (
              <li key={pl.id} className="flex justify-between py-2">
                <span className="text-slate-500">{dateTime(pl.createdAt)}</span>
                <span className={cx('font-medium', pl.cancelledAt && 'text-slate-400 line-through')}>{money(pl.amount)}</span>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
