import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../api/client';
import type { Page, Pledge, Project, ProjectStatus } from '../api/types';
import { paymentsApi, rememberProject } from '../api/payments';
import { useAuth } from '../store/auth';
import { useT } from '../i18n';
import { useConfig, useDates, useIdempotencyKey, useListParams, useMoney, usePaymentsEnabled, useSubmit } from '../hooks';
import { parseMoney } from '../lib/money';
import { daysLeft, percent, randomId } from '../lib/format';
import { loginPath } from '../lib/validate';
import { useStartPayment } from './pay/startPayment';
import { PayNowButton } from './pay/PayNowButton';
import {
  Button,
  ButtonLink,
  Card,
  Empty,
  PagedList,
  SearchForm,
  ErrorBox,
  Loading,
  Notice,
  PageTitle,
  Pagination,
  Placeholder,
  ProgressBar,
  SafeImage,
  SelectField,
  StatusBadge,
  TextField,
  UserText,
  cx,
} from '../components/ui';

const STATUSES: ProjectStatus[] = ['active', 'successful', 'failed', 'cancelled'];

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

export function ProjectsPage() {
  const t = useT();
  const user = useAuth((s) => s.user);
  const { params, q, page, search, setSearch, update } = useListParams();
  const status = params.get('status') ?? '';

  const query = useQuery({
    queryKey: ['projects', { q, status, page }],
    queryFn: () => api<Page<Project>>(`/crowdfunding/projects${qs({ q, status, page, limit: 12 })}`),
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

export function ProjectPage() {
  const { id = '' } = useParams();
  const t = useT();
  const money = useMoney();
  const { date } = useDates();
  const user = useAuth((s) => s.user);
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['project', id], queryFn: () => api<Project>(`/crowdfunding/projects/${id}`) });
  const [selectedReward, setSelectedReward] = useState<string>('');

  const cancel = useMutation({
    mutationFn: () => api<Project>(`/crowdfunding/projects/${id}/cancel`, { method: 'POST' }),
    onSuccess: (p) => {
      qc.setQueryData(['project', id], p);
      qc.invalidateQueries({ queryKey: ['projects'] });
    },
  });

  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorBox error={query.error} onRetry={() => query.refetch()} />;
  const p = query.data;
  const pct = percent(p.raised, p.goal);
  const isOwner = !!user && (user.id === p.creatorId || user.role === 'admin');

  return (
    <div className="grid grid-cols-1 gap-8 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        <div>
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <StatusBadge status={p.status} />
            <span className="text-sm text-slate-500">{t('projects.ends', { date: date(p.deadline) })}</span>
          </div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{p.title}</h1>
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
        </Card>
        <PledgeForm project={p} rewardId={selectedReward} onReward={setSelectedReward} />
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
                      onClick={() => setSelectedReward(r.id)}
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
  );
}

function PledgeForm({ project, rewardId, onReward }: { project: Project; rewardId: string; onReward: (id: string) => void }) {
  const t = useT();
  const money = useMoney();
  const cfg = useConfig();
  const user = useAuth((s) => s.user);
  const qc = useQueryClient();
  const [amount, setAmount] = useState('');
  const form = useSubmit();
  const [pledged, setPledged] = useState(0);
  const [payError, setPayError] = useState<string | null>(null);
  const idem = useIdempotencyKey();
  const pay = useStartPayment();
  const paymentsEnabled = usePaymentsEnabled();
  const reward = project.rewards.find((r) => r.id === rewardId);

  useEffect(() => {
    if (reward && !amount) setAmount(String(reward.minAmount / 10 ** cfg.fractionDigits));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rewardId]);

  if (project.status !== 'active') {
    return (
      <Card>
        <p className="text-sm text-slate-600">{t('projects.closed')}</p>
      </Card>
    );
  }
  if (!user) {
    return (
      <Card>
        <ButtonLink className="w-full" to={loginPath(`/projects/${project.id}`)}>
          {t('projects.loginToPledge')}
        </ButtonLink>
      </Card>
    );
  }

  const submit = form.submit(
    (errs) => {
      const minor = parseMoney(amount, cfg.fractionDigits);
      if (minor === null || minor <= 0) errs.amount = t('projects.amountInvalid');
      else if (reward && minor < reward.minAmount) errs.amount = t('projects.amountBelowMin', { amount: money(reward.minAmount) });
      return minor;
    },
    async (minor) => {
      const r = await api<{ pledge: Pledge; project: Project }>(`/crowdfunding/projects/${project.id}/fund`, {
        method: 'POST',
        body: rewardId ? { amount: minor, rewardId } : { amount: minor },
        headers: { 'Idempotency-Key': idem.key },
      });
      qc.setQueryData(['project', project.id], r.project);
      qc.invalidateQueries({ queryKey: ['projects'] });
      qc.invalidateQueries({ queryKey: ['pledges'] });
      setAmount('');
      onReward('');
      idem.renew();
      if (!paymentsEnabled) {
        setPledged(r.pledge.amount);
        return;
      }
      // The pledge is recorded; now pay for it. If that cannot start, the pledge stays unpaid and
      // My pledges offers "pay now" (pledging again would count it twice).
      setPayError(null);
      try {
        const { checkout } = await paymentsApi.startForPledge(r.pledge.id);
        rememberProject(checkout.paymentId, project.id);
        if (await pay.open(checkout)) return;
      } catch (err) {
        setPayError(err instanceof Error ? err.message : String(err));
      }
      setPledged(r.pledge.amount);
    },
    { onError: idem.afterError },
  );

  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{t('projects.pledgeTitle')}</h2>
      <form onSubmit={submit} noValidate className="space-y-4">
        <SelectField label={t('projects.reward')} value={rewardId} onChange={(e) => onReward(e.target.value)} error={form.errors.rewardId}>
          <option value="">{t('projects.noReward')}</option>
          {project.rewards.map((r) => (
            <option key={r.id} value={r.id} disabled={r.limit !== null && r.claimed >= r.limit}>
              {r.title} — {money(r.minAmount)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={`${t('projects.amount')} (${cfg.currency})`}
          inputMode={cfg.fractionDigits > 0 ? 'decimal' : 'numeric'}
          name="amount"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={form.errors.amount}
        />
        <ErrorBox error={form.error} />
        {form.done && pledged > 0 && (
          <Notice tone={payError ? 'info' : 'success'}>
            {t('projects.pledged', { amount: money(pledged) })}{' '}
            <Link to="/me/pledges" className="font-semibold underline">
              {payError ? t('pay.pledgeStartFailed') : t('nav.myPledges')}
            </Link>
          </Notice>
        )}
        <Button type="submit" className="w-full" disabled={form.busy}>
          {t('projects.pledge')}
        </Button>
      </form>
    </Card>
  );
}

function ProjectPledges({ projectId }: { projectId: string }) {
  const t = useT();
  const money = useMoney();
  const { dateTime } = useDates();
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['project-pledges', projectId, page],
    queryFn: () => api<Page<Pledge>>(`/crowdfunding/projects/${projectId}/pledges${qs({ page, limit: 10 })}`),
  });
  return (
    <section className="mt-6">
      <h2 className="mb-2 text-lg font-semibold">{t('projects.backersList')}</h2>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorBox error={q.error} />
      ) : q.data.items.length === 0 ? (
        <p className="text-sm text-slate-500">{t('common.empty')}</p>
      ) : (
        <>
          <ul className="divide-y divide-slate-100 text-sm">
            {q.data.items.map((pl) => (
              <li key={pl.id} className="flex justify-between py-2">
                <span className="text-slate-500">{dateTime(pl.createdAt)}</span>
                <span className={cx('font-medium', pl.cancelledAt && 'text-slate-400 line-through')}>{money(pl.amount)}</span>
              </li>
            ))}
          </ul>
          <Pagination page={q.data.page} limit={q.data.limit} total={q.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

interface RewardDraft {
  key: string;
  title: string;
  description: string;
  minAmount: string;
  limit: string;
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function ProjectFormPage() {
  const { id } = useParams();
  const editing = !!id;
  const q = useQuery({ queryKey: ['project', id], queryFn: () => api<Project>(`/crowdfunding/projects/${id}`), enabled: editing });
  if (editing && q.isPending) return <Loading />;
  if (editing && q.error) return <ErrorBox error={q.error} />;
  return <ProjectForm project={editing ? q.data : undefined} />;
}

function ProjectForm({ project }: { project?: Project }) {
  const t = useT();
  const cfg = useConfig();
  const user = useAuth((s) => s.user);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const fd = cfg.fractionDigits;
  const majorStr = (minor: number) => String(minor / 10 ** fd);
  const defaultDeadline = useMemo(() => toLocalInput(new Date(Date.now() + 30 * 86_400_000).toISOString()), []);
  const [title, setTitle] = useState(project?.title ?? '');
  const [description, setDescription] = useState(project?.description ?? '');
  const [imageUrl, setImageUrl] = useState(project?.imageUrl ?? '');
  const [goal, setGoal] = useState(project ? majorStr(project.goal) : '');
  const [deadline, setDeadline] = useState(project ? toLocalInput(project.deadline) : defaultDeadline);
  const [rewards, setRewards] = useState<RewardDraft[]>([]);
  const form = useSubmit();
  const locked = !!project && project.backerCount > 0;

  if (!project && user && user.role === 'user') {
    return <Empty>{t('projects.creatorOnly')}</Empty>;
  }

  const setReward = (i: number, patch: Partial<RewardDraft>) => setRewards((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const submit = form.submit(
    (errs) => {
      if (!title.trim()) errs.title = t('common.required');
      if (!description.trim()) errs.description = t('common.required');
      const goalMinor = parseMoney(goal, fd);
      if (!locked && (goalMinor === null || goalMinor <= 0)) errs.goal = t('projects.amountInvalid');
      const dl = new Date(deadline);
      if (!locked && (Number.isNaN(dl.getTime()) || dl.getTime() <= Date.now())) errs.deadline = t('projects.deadlineFuture');
      if (imageUrl && !/^https?:\/\//i.test(imageUrl.trim())) errs.imageUrl = 'http(s)://…';
      const rewardBodies = rewards.map((r, i) => {
        const min = parseMoney(r.minAmount, fd);
        if (!r.title.trim()) errs[`rewards[${i}].title`] = t('common.required');
        if (min === null || min <= 0) errs[`rewards[${i}].minAmount`] = t('projects.amountInvalid');
        const limit = r.limit.trim() ? Number(r.limit) : undefined;
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) errs[`rewards[${i}].limit`] = '≥ 1';
        return { title: r.title.trim(), description: r.description.trim() || undefined, minAmount: min ?? 0, ...(limit !== undefined ? { limit } : {}) };
      });
      return { goalMinor, dl, rewardBodies };
    },
    async ({ goalMinor, dl, rewardBodies }) => {
      let saved: Project;
      if (project) {
        const body: Record<string, unknown> = { title: title.trim(), description };
        if (!locked) {
          if (goalMinor !== project.goal) body.goal = goalMinor;
          const iso = dl.toISOString();
          if (toLocalInput(iso) !== toLocalInput(project.deadline)) body.deadline = iso;
        }
        saved = await api<Project>(`/crowdfunding/projects/${project.id}`, { method: 'PUT', body });
      } else {
        saved = await api<Project>('/crowdfunding/projects', {
          method: 'POST',
          body: {
            title: title.trim(),
            description,
            ...(imageUrl.trim() ? { imageUrl: imageUrl.trim() } : {}),
            goal: goalMinor,
            deadline: dl.toISOString(),
            rewards: rewardBodies,
          },
        });
      }
      qc.setQueryData(['project', saved.id], saved);
      qc.invalidateQueries({ queryKey: ['projects'] });
      navigate(`/projects/${saved.id}`);
    },
  );

  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle>{project ? t('projects.editTitle') : t('projects.createTitle')}</PageTitle>
      <Card>
        <form onSubmit={submit} noValidate className="space-y-4">
          <TextField label={t('projects.fieldTitle')} name="title" value={title} onChange={(e) => setTitle(e.target.value)} error={form.errors.title} maxLength={200} />
          <div>
            <label htmlFor="project-description" className="mb-1 block text-sm font-medium text-slate-700">
              {t('projects.fieldDescription')}
            </label>
            <textarea
              id="project-description"
              name="description"
              rows={6}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              aria-invalid={!!form.errors.description}
              className="block w-full rounded-lg border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 aria-[invalid=true]:ring-red-500"
            />
            {form.errors.description && <p className="mt-1 text-sm text-red-600" role="alert">{form.errors.description}</p>}
          </div>
          {!project && <TextField label={t('projects.fieldImage')} name="imageUrl" type="url" value={imageUrl} onChange={(e) => setImageUrl(e.target.value)} error={form.errors.imageUrl} />}
          {locked && <Notice tone="info">{t('projects.goalLocked')}</Notice>}
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <TextField label={t('projects.fieldGoal', { currency: cfg.currency })} name="goal" inputMode="decimal" value={goal} onChange={(e) => setGoal(e.target.value)} error={form.errors.goal} disabled={locked} />
            <TextField label={t('projects.fieldDeadline')} name="deadline" type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} error={form.errors.deadline} disabled={locked} />
          </div>
          {!project && (
            <fieldset className="space-y-3">
              <legend className="mb-2 text-sm font-semibold text-slate-800">{t('projects.rewards')}</legend>
              {rewards.map((r, i) => (
                <div key={r.key} className="grid grid-cols-1 gap-3 rounded-xl bg-slate-50 p-3 ring-1 ring-slate-200 sm:grid-cols-2">
                  <TextField label={t('projects.rewardTitle')} value={r.title} onChange={(e) => setReward(i, { title: e.target.value })} error={form.errors[`rewards[${i}].title`]} />
                  <TextField label={t('projects.rewardMinAmount')} inputMode="decimal" value={r.minAmount} onChange={(e) => setReward(i, { minAmount: e.target.value })} error={form.errors[`rewards[${i}].minAmount`]} />
                  <TextField className="sm:col-span-2" label={t('projects.rewardDescription')} value={r.description} onChange={(e) => setReward(i, { description: e.target.value })} />
                  <TextField label={t('projects.rewardLimit')} inputMode="numeric" value={r.limit} onChange={(e) => setReward(i, { limit: e.target.value })} error={form.errors[`rewards[${i}].limit`]} />
                  <div className="flex items-end justify-end">
                    <Button variant="ghost" onClick={() => setRewards((rs) => rs.filter((_, j) => j !== i))}>
                      {t('common.remove')}
                    </Button>
                  </div>
                </div>
              ))}
              <Button variant="secondary" onClick={() => setRewards((rs) => [...rs, { key: randomId(), title: '', description: '', minAmount: '', limit: '' }])}>
                {t('projects.addReward')}
              </Button>
            </fieldset>
          )}
          <ErrorBox error={form.error} />
          <div className="flex gap-2">
            <Button type="submit" disabled={form.busy}>
              {form.busy ? t('common.saving') : project ? t('common.save') : t('common.create')}
            </Button>
            <Button variant="ghost" onClick={() => navigate(-1)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}

export function MyPledgesPage() {
  const t = useT();
  const money = useMoney();
  const { dateTime } = useDates();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const q = useQuery({ queryKey: ['pledges', page], queryFn: () => api<Page<Pledge>>(`/crowdfunding/pledges${qs({ page, limit: 20 })}`) });
  const cancel = useMutation({
    mutationFn: (id: string) => api<unknown>(`/crowdfunding/pledges/${id}/cancel`, { method: 'POST' }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['pledges'] });
      qc.invalidateQueries({ queryKey: ['project'] });
      qc.invalidateQueries({ queryKey: ['projects'] });
    },
  });
  const isCancelled = (p: Pledge) => !!p.cancelledAt;

  return (
    <div>
      <PageTitle>{t('pledges.title')}</PageTitle>
      <ErrorBox error={cancel.error} />
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorBox error={q.error} onRetry={() => q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Empty>{t('pledges.none')}</Empty>
      ) : (
        <>
          <ul className="mt-4 space-y-3">
            {q.data.items.map((p) => (
              <li key={p.id}>
                <Card className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                  <div>
                    <Link to={`/projects/${p.projectId}`} className="font-semibold text-slate-900 hover:text-indigo-700 hover:underline">
                      {p.projectTitle ?? p.projectId}
                    </Link>
                    <p className="text-sm text-slate-500">{dateTime(p.createdAt)}</p>
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
                        <Button variant="danger" disabled={cancel.isPending} onClick={() => window.confirm(t('pledges.cancelConfirm')) && cancel.mutate(p.id)}>
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
          <Pagination page={q.data.page} limit={q.data.limit} total={q.data.total} onPage={setPage} />
        </>
      )}
    </div>
  );
}
