import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { crowdfundingApi, crowdfundingKeys } from '../../api/crowdfunding';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { usePageTitle } from '../../hooks';
import { ButtonLink, PagedList, PageTitle } from '../../components/ui';
import { ProjectCard } from './ProjectCard';

/** A creator's own projects, every status, newest first, with a way to start another. */
export function MyProjectsPage() {
  const t = useT();
  usePageTitle('nav.myProjects');
  const user = useAuth((s) => s.user);
  const [page, setPage] = useState(1);
  const filters = { creatorId: user?.id ?? '', page, limit: 12 };
  const query = useQuery({
    queryKey: crowdfundingKeys.projects(filters),
    queryFn: () => crowdfundingApi.projects(filters),
    enabled: !!user,
    placeholderData: keepPreviousData,
  });
  return (
    <div>
      <PageTitle actions={<ButtonLink to="/projects/new">{t('projects.new')}</ButtonLink>}>{t('nav.myProjects')}</PageTitle>
      <PagedList query={query} onPage={setPage} empty={t('projects.mineNone')}>
        {(items) => (
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {items.map((p) => (
              <ProjectCard key={p.id} project={p} />
            ))}
          </div>
        )}
      </PagedList>
    </div>
  );
}
