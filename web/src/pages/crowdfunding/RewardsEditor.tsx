import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { crowdfundingApi, crowdfundingChanged, crowdfundingKeys, type RewardBody } from '../../api/crowdfunding';
import type { Project, Reward } from '../../api/types';
import { useT } from '../../i18n';
import { useConfig, useSubmit, type FormState } from '../../hooks';
import { parseMoney } from '../../lib/money';
import { Button, Card, FormError, Notice, TextField } from '../../components/ui';

interface Draft {
  title: string;
  description: string;
  minAmount: string;
  limit: string;
}

/**
 * Reward tiers of a launched project, each saved on its own (POST, PUT, DELETE
 * /projects/:id/rewards): a tier someone chose keeps its minimum and cannot be retired, and its
 * limit stays at or above its claims (the server's rules, shown before they refuse).
 */
export function RewardsEditor({ project }: { project: Project }) {
  const t = useT();
  if (project.status !== 'active') {
    return (
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t('projects.rewards')}</h2>
        <Notice tone="info">{t('projects.rewardsClosed')}</Notice>
      </Card>
    );
  }
  return (
    <Card>
      <section aria-labelledby="rewards-editor" className="space-y-4">
        <h2 id="rewards-editor" className="text-lg font-semibold">
          {t('projects.rewards')}
        </h2>
        <p className="text-sm text-slate-600">{t('projects.rewardsEditIntro')}</p>
        <ul className="space-y-3">
          {project.rewards.map((r) => (
            <li key={r.id}>
              <RewardRow projectId={project.id} reward={r} />
            </li>
          ))}
        </ul>
        <NewRewardForm projectId={project.id} />
      </section>
    </Card>
  );
}

// The shared checks of a tier's fields; returns the request body when they pass.
function useRewardChecks() {
  const t = useT();
  const fd = useConfig().fractionDigits;
  return (d: Draft, errs: Record<string, string>, minClaimed = 0): RewardBody => {
    if (!d.title.trim()) errs.title = t('common.required');
    const min = parseMoney(d.minAmount, fd);
    if (min === null || min <= 0) errs.minAmount = t('projects.amountInvalid');
    const limit = d.limit.trim() ? Number(d.limit) : null;
    if (limit !== null && (!Number.isInteger(limit) || limit < Math.max(1, minClaimed))) errs.limit = `≥ ${Math.max(1, minClaimed)}`;
    return { title: d.title.trim(), description: d.description.trim(), minAmount: min ?? 0, limit };
  };
}

function RewardFields({ draft, set, form, minLocked, claimed, autoFocus }: { draft: Draft; set: (p: Partial<Draft>) => void; form: FormState; minLocked?: boolean; claimed: number; autoFocus?: boolean }) {
  const t = useT();
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
      <TextField label={t('projects.rewardTitle')} value={draft.title} onChange={(e) => set({ title: e.target.value })} {...form.field('title')} maxLength={200} autoFocus={autoFocus} />
      <TextField
        label={t('projects.rewardMinAmount')}
        inputMode="decimal"
        value={draft.minAmount}
        onChange={(e) => set({ minAmount: e.target.value })}
        {...form.field('minAmount')}
        disabled={minLocked}
        hint={minLocked ? t('projects.rewardMinLocked', { claimed }) : undefined}
      />
      <TextField className="sm:col-span-2" label={t('projects.rewardDescription')} value={draft.description} onChange={(e) => set({ description: e.target.value })} {...form.field('description')} maxLength={2000} />
      <TextField label={t('projects.rewardLimit')} inputMode="numeric" value={draft.limit} onChange={(e) => set({ limit: e.target.value })} {...form.field('limit')} hint={claimed > 0 ? t('projects.rewardLimitAtLeast', { claimed }) : undefined} />
    </div>
  );
}

function RewardRow({ projectId, reward }: { projectId: string; reward: Reward }) {
  const t = useT();
  const qc = useQueryClient();
  const fd = useConfig().fractionDigits;
  const check = useRewardChecks();
  const [draft, setDraft] = useState<Draft>({
    title: reward.title,
    description: reward.description,
    minAmount: String(reward.minAmount / 10 ** fd),
    limit: reward.limit === null ? '' : String(reward.limit),
  });
  const [saved, setSaved] = useState(false);
  const form = useSubmit();
  const retire = useSubmit();
  const set = (p: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...p }));
    setSaved(false);
  };
  const minLocked = reward.claimed > 0;

  const save = form.submit(
    (errs) => check(draft, errs, reward.claimed),
    async (body) => {
      const patch: Partial<RewardBody> = { title: body.title, description: body.description, limit: body.limit };
      if (!minLocked) patch.minAmount = body.minAmount;
      crowdfundingChanged(qc, await crowdfundingApi.updateReward(projectId, reward.id, patch));
      setSaved(true);
    },
  );
  const doRetire = retire.submit(
    () => undefined,
    async () => {
      await crowdfundingApi.retireReward(projectId, reward.id);
      qc.setQueryData<Project>(crowdfundingKeys.project(projectId), (p) => (p ? { ...p, rewards: p.rewards.filter((r) => r.id !== reward.id) } : p));
      crowdfundingChanged(qc);
    },
  );

  return (
    <form onSubmit={save} noValidate aria-label={reward.title} className="space-y-3 rounded-xl bg-slate-50 p-3 ring-1 ring-slate-200">
      <RewardFields draft={draft} set={set} form={form} minLocked={minLocked} claimed={reward.claimed} />
      <FormError form={form} />
      <FormError form={retire} />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={form.busy}>
          {t('common.save')}
        </Button>
        {reward.claimed === 0 && (
          <Button variant="danger" disabled={retire.busy} onClick={() => window.confirm(t('projects.retireRewardConfirm', { title: reward.title })) && doRetire()}>
            {t('projects.retireReward')}
          </Button>
        )}
        {saved && (
          <span role="status" className="text-sm text-emerald-700">
            {t('projects.rewardSaved')}
          </span>
        )}
      </div>
    </form>
  );
}

function NewRewardForm({ projectId }: { projectId: string }) {
  const t = useT();
  const qc = useQueryClient();
  const check = useRewardChecks();
  const empty: Draft = { title: '', description: '', minAmount: '', limit: '' };
  const [draft, setDraft] = useState<Draft>(empty);
  const [open, setOpen] = useState(false);
  const form = useSubmit();
  const add = form.submit(
    (errs) => check(draft, errs),
    async (body) => {
      crowdfundingChanged(qc, await crowdfundingApi.addReward(projectId, { ...body, limit: body.limit ?? undefined }));
      setDraft(empty);
      setOpen(false);
    },
  );
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {t('projects.addReward')}
      </Button>
    );
  }
  return (
    <form onSubmit={add} noValidate aria-label={t('projects.newReward')} className="space-y-3 rounded-xl p-3 ring-1 ring-dashed ring-slate-300">
      <h3 className="text-sm font-semibold text-slate-800">{t('projects.newReward')}</h3>
      <RewardFields draft={draft} set={(p) => setDraft((d) => ({ ...d, ...p }))} form={form} claimed={0} autoFocus />
      <FormError form={form} />
      <div className="flex gap-2">
        <Button type="submit" disabled={form.busy}>
          {t('projects.addReward')}
        </Button>
        <Button variant="ghost" onClick={() => { setOpen(false); setDraft(empty); form.reset(); }}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
