import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ProjectStatus } from '../../api/types';
import { crowdfundingApi, crowdfundingKeys } from '../../api/crowdfunding';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useListParams, usePageTitle } from '../../hooks';
import { ButtonLink, PagedList, SearchForm, PageTitle, SelectField } from '../../components/ui';
import { ProjectCard } from './ProjectCard';

const STATUSES: ProjectStatus[] = ['active', 'successful', 'failed', 'cancelled'];

export function ProjectsPage() {
  const t = useT();
  const user = useAuth((s) => s.user);
  const { params, q, page, search, setSearch, update } = useListParams();
  const status = params.get('status') ?? '';
  const sort = params.get('sort') ?? '';
  usePageTitle('projects.title');

  const filters = { q, status, sort, page, limit: 12 };
  const query = useQuery({
    queryKey: crowdfundingKeys.projects(filters),
    queryFn: () => crowdfundingApi.projects(filters),
    placeholderData: keepPreviousData,
  });

  return (
    <div>
      <PageTitle actions={user && (user.role === 'creator' || user.role === 'admin') ? <ButtonLink to="/projects/new">{t('projects.new')}</ButtonLink> : undefined}>
        {t('projects.title')}
      </PageTitle>
      <SearchForm className="mb-6" placeholder={t('projects.searchPlaceholder')} value={search} onChange={setSearch} onSearch={(text) => update({ q: text })}>
        <SelectField className="sm:w-48" label={t('projects.status')} value={status} onChange={(e) => update({ status: e.target.value })}>
          <option value="">{t('common.all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField className="sm:w-44" label={t('projects.sort')} value={sort} onChange={(e) => update({ sort: e.target.value })}>
          <option value="">{t('projects.sort.newest')}</option>
          <option value="popular">{t('projects.sort.popular')}</option>
          <option value="ending">{t('projects.sort.ending')}</option>
        </SelectField>
      </SearchForm>
      <PagedList query={query} onPage={(p) => update({ page: String(p) })}>
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
