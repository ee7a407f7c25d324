import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { Project } from '../../api/types';
import { crowdfundingApi, crowdfundingChanged } from '../../api/crowdfunding';
import { paymentsApi, rememberProject } from '../../api/payments';
import { useAuth } from '../../store/auth';
import { useLang, useT } from '../../i18n';
import { useConfig, useDates, useIdempotencyKey, useMoney, usePaymentsEnabled, useSubmit } from '../../hooks';
import { minorToInput, parseMoney } from '../../lib/money';
import { loginPath } from '../../lib/validate';
import { useStartPayment } from '../pay/startPayment';
import { Button, ButtonLink, Card, FormError, Notice, SelectField, TextField } from '../../components/ui';
import { errorText } from '../../lib/errors';

export function PledgeForm({ project, rewardId, onReward }: { project: Project; rewardId: string; onReward: (id: string) => void }) {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const money = useMoney();
  const { dateTime } = useDates();
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

  // Choosing a reward raises the amount to at least its minimum (a larger amount stays).
  useEffect(() => {
    if (!reward) return;
    const current = parseMoney(amount, cfg.fractionDigits);
    if (current === null || current < reward.minAmount) setAmount(minorToInput(reward.minAmount, cfg.fractionDigits));
    form.clear('amount');
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
      return minor ?? 0;
    },
    async (minor) => {
      const r = await crowdfundingApi.fund(project.id, rewardId ? { amount: minor, rewardId } : { amount: minor }, idem.key);
      crowdfundingChanged(qc, r.project);
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
        setPayError(errorText(err, lang));
      }
      setPledged(r.pledge.amount);
    },
    { onError: idem.afterError },
  );

  return (
    <Card>
      <h2 id="pledge-form" tabIndex={-1} className="mb-3 scroll-mt-24 text-lg font-semibold focus:outline-none">
        {t('projects.pledgeTitle')}
      </h2>
      <form onSubmit={submit} noValidate className="space-y-4">
        <SelectField label={t('projects.reward')} value={rewardId} onChange={(e) => onReward(e.target.value)} {...form.field('rewardId')}>
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
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          {...form.field('amount')}
        />
        <FormError form={form} />
        <div className="space-y-1 rounded-lg bg-slate-50 p-3 text-sm text-slate-700" data-testid="pledge-money">
          <p className="font-medium">{paymentsEnabled ? t('pledge.chargeNow') : t('pledge.chargeNowOld')}</p>
          <p>{t('pledge.allOrNothing', { goal: money(project.goal), date: dateTime(project.deadline) })}</p>
          <p>{t('pledge.cancelAnytime')}</p>
        </div>
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
