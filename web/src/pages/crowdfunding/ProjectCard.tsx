import { Link } from 'react-router';
import type { Project } from '../../api/types';
import { useT } from '../../i18n';
import { useMoney } from '../../hooks';
import { daysLeft, percent } from '../../lib/format';
import { Placeholder, ProgressBar, SafeImage, StatusBadge } from '../../components/ui';

export function ProjectCard({ project }: { project: Project }) {
  const t = useT();
  const money = useMoney();
  const pct = percent(project.raised, project.goal);
  return (
    <article className="group relative flex flex-col overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200 transition hover:shadow-md">
      <SafeImage
        src={project.imageUrl}
        alt=""
        className="aspect-[16/9] w-full object-cover"
        fallback={<Placeholder label={project.title} seed={project.id} className="aspect-[16/9] w-full" />}
      />
      <div className="flex flex-1 flex-col gap-3 p-4">
        <div className="flex items-start justify-between gap-2">
          <h3 className="line-clamp-2 font-semibold text-slate-900">
            <Link to={`/projects/${project.id}`} className="after:absolute after:inset-0 focus:underline group-hover:text-indigo-700">
              {project.title}
            </Link>
          </h3>
          <StatusBadge status={project.status} />
        </div>
        <p className="line-clamp-2 text-sm text-slate-600">{project.description}</p>
        <div className="mt-auto space-y-2">
          <ProgressBar value={pct} label={t('projects.funded', { pct })} />
          <div className="flex flex-wrap items-baseline justify-between gap-x-2 text-sm">
            <span className="font-semibold text-slate-900">{money(project.raised)}</span>
            <span className="text-indigo-700">{t('projects.funded', { pct })}</span>
          </div>
          <div className="flex justify-between text-xs text-slate-500">
            <span>{t('projects.backers', { count: project.backerCount })}</span>
            {project.status === 'active' && <span>{t('projects.daysLeft', { days: daysLeft(project.deadline) })}</span>}
          </div>
        </div>
      </div>
    </article>
  );
}
