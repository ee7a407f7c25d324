import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { crowdfundingApi, crowdfundingChanged, type ProjectPatch } from '../../api/crowdfunding';
import type { Project } from '../../api/types';
import { useAuth } from '../../store/auth';
import { useT } from '../../i18n';
import { useConfig, useSubmit } from '../../hooks';
import { parseMoney } from '../../lib/money';
import { randomId } from '../../lib/format';
import { Button, Card, Empty, FormError, Notice, PageTitle, TextField } from '../../components/ui';
import { MediaPicker } from '../../components/MediaPicker';
import { ProjectPreview } from './ProjectPreview';
import { RewardsEditor } from './RewardsEditor';

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

export function ProjectForm({ project }: { project?: Project }) {
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
  const [preview, setPreview] = useState(false);
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
      if (imageUrl && !/^(https?:\/\/|\/media\/)/i.test(imageUrl.trim())) errs.imageUrl = 'http(s)://…';
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
        const body: ProjectPatch = { title: title.trim(), description };
        if (imageUrl.trim() !== (project.imageUrl ?? '')) body.imageUrl = imageUrl.trim() || null;
        if (!locked) {
          if (goalMinor !== null && goalMinor !== project.goal) body.goal = goalMinor;
          const iso = dl.toISOString();
          if (toLocalInput(iso) !== toLocalInput(project.deadline)) body.deadline = iso;
        }
        saved = await crowdfundingApi.update(project.id, body);
      } else {
        saved = await crowdfundingApi.create({
          title: title.trim(),
          description,
          ...(imageUrl.trim() ? { imageUrl: imageUrl.trim() } : {}),
          goal: goalMinor ?? 0,
          deadline: dl.toISOString(),
          rewards: rewardBodies,
        });
      }
      crowdfundingChanged(qc, saved);
      navigate(`/projects/${saved.id}`);
    },
  );

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageTitle>{project ? t('projects.editTitle') : t('projects.createTitle')}</PageTitle>
      <Card>
        <form onSubmit={submit} noValidate className="space-y-4">
          <TextField label={t('projects.fieldTitle')} value={title} onChange={(e) => setTitle(e.target.value)} {...form.field('title')} maxLength={200} />
          <div>
            <label htmlFor="project-description" className="mb-1 block text-sm font-medium text-slate-700">
              {t('projects.fieldDescription')}
            </label>
            <textarea
              id="project-description"
              name="description"
              onInput={form.field('description').onInput}
              rows={6}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              aria-invalid={!!form.errors.description}
              className="block w-full rounded-lg border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 aria-[invalid=true]:ring-red-500"
            />
            {form.errors.description && <p className="mt-1 text-sm text-red-600" role="alert">{form.errors.description}</p>}
          </div>
          <MediaPicker label={t('projects.fieldImage')} value={imageUrl} onChange={setImageUrl} error={form.field('imageUrl').error} />
          {locked && <Notice tone="info">{t('projects.goalLocked')}</Notice>}
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <TextField label={t('projects.fieldGoal', { currency: cfg.currency })} inputMode="decimal" value={goal} onChange={(e) => setGoal(e.target.value)} {...form.field('goal')} disabled={locked} />
            <TextField label={t('projects.fieldDeadline')} type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} {...form.field('deadline')} disabled={locked} />
          </div>
          {!project && (
            <fieldset className="space-y-3">
              <legend className="mb-2 text-sm font-semibold text-slate-800">{t('projects.rewards')}</legend>
              {rewards.map((r, i) => (
                <div key={r.key} className="grid grid-cols-1 gap-3 rounded-xl bg-slate-50 p-3 ring-1 ring-slate-200 sm:grid-cols-2">
                  <TextField label={t('projects.rewardTitle')} value={r.title} onChange={(e) => setReward(i, { title: e.target.value })} {...form.field(`rewards[${i}].title`)} />
                  <TextField label={t('projects.rewardMinAmount')} inputMode="decimal" value={r.minAmount} onChange={(e) => setReward(i, { minAmount: e.target.value })} {...form.field(`rewards[${i}].minAmount`)} />
                  <TextField className="sm:col-span-2" label={t('projects.rewardDescription')} value={r.description} onChange={(e) => setReward(i, { description: e.target.value })} />
                  <TextField label={t('projects.rewardLimit')} inputMode="numeric" value={r.limit} onChange={(e) => setReward(i, { limit: e.target.value })} {...form.field(`rewards[${i}].limit`)} />
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
          <FormError form={form} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={form.busy}>
              {form.busy ? t('common.saving') : project ? t('common.save') : t('common.create')}
            </Button>
            <Button variant="secondary" aria-expanded={preview} onClick={() => setPreview((v) => !v)}>
              {preview ? t('projects.hidePreview') : t('projects.preview')}
            </Button>
            <Button variant="ghost" onClick={() => navigate(-1)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
        {preview && (
          <ProjectPreview
            draft={{
              title,
              description,
              imageUrl,
              goal: parseMoney(goal, fd),
              deadline,
              rewards: (project ? project.rewards.map((r) => ({ ...r, minAmount: r.minAmount })) : rewards.map((r) => ({ title: r.title, description: r.description, minAmount: parseMoney(r.minAmount, fd), limit: r.limit.trim() ? Number(r.limit) || null : null }))),
            }}
          />
        )}
      </Card>
      {project && <RewardsEditor project={project} />}
    </div>
  );
}
