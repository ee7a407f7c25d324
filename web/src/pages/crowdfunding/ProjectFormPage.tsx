import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { crowdfundingApi, crowdfundingKeys } from '../../api/crowdfunding';
import { Loading } from '../../components/ui';
import { ProjectForm } from './ProjectForm';
import { LoadError } from '../../components/LoadError';
import { RequireConfig } from '../../components/guards';

export function ProjectFormPage() {
  const { id } = useParams();
  const editing = !!id;
  const q = useQuery({ queryKey: crowdfundingKeys.project(id ?? ''), queryFn: () => crowdfundingApi.project(id ?? ''), enabled: editing });
  if (editing && q.isPending) return <Loading />;
  if (editing && q.error) return <LoadError what="project" error={q.error} onRetry={() => q.refetch()} />;
  // The goal and the rewards' minimums start in the currency's units, so the form waits for /config.
  return (
    <RequireConfig>
      <ProjectForm project={editing ? q.data : undefined} />
    </RequireConfig>
  );
}
