import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { mailApi, mailKeys } from '../../api/mail';
import type { User } from '../../api/types';
import { useAuth } from '../../store/auth';
import { useLang } from '../../i18n';
import { useSubmit } from '../../hooks';
import { Button, Card, ErrorBox, Notice, SelectField, TextArea, TextField } from '../../components/ui';
import { useAccountT } from './text';

/** The profile's mail part: the mail language, the mail switches, and a new email address. */
export function MailSettings({ user }: { user: User }) {
  const at = useAccountT();
  const setUser = useAuth((s) => s.setUser);
  const setLang = useLang((s) => s.setLang);
  const save = useMutation({
    mutationFn: (body: Parameters<typeof mailApi.updateMailSettings>[1]) => mailApi.updateMailSettings(user.id, body),
    onSuccess: (u) => setUser(u),
  });
  const [email, setEmail] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const form = useSubmit();
  const changeEmail = form.submit(
    (errs) => {
      if (!email.trim()) errs.email = '—';
      if (!currentPassword) errs.currentPassword = '—';
      return { email: email.trim(), currentPassword };
    },
    async (body) => {
      setUser(await mailApi.updateMailSettings(user.id, body));
      setEmail('');
      setCurrentPassword('');
    },
  );
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{at('settings.title')}</h2>
      <p className="mb-4 text-sm">
        {user.email} · <span className={user.emailVerified ? 'text-emerald-700' : 'text-amber-700'}>{user.emailVerified ? at('settings.verified') : at('settings.unverified')}</span>
      </p>
      <div className="space-y-3">
        <SelectField
          label={at('settings.locale')}
          value={user.locale ?? 'ko'}
          onChange={(e) => {
            const locale = e.target.value as 'ko' | 'en';
            setLang(locale);
            save.mutate({ locale });
          }}
        >
          <option value="ko">한국어</option>
          <option value="en">English</option>
        </SelectField>
        {(user.role === 'creator' || user.role === 'admin') && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={user.notifyNewPledges ?? true} onChange={(e) => save.mutate({ notifyNewPledges: e.target.checked })} />
            {at('settings.notifyPledges')}
          </label>
        )}
        {user.role === 'admin' && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={user.notifyPaidOrders ?? true} onChange={(e) => save.mutate({ notifyPaidOrders: e.target.checked })} />
            {at('settings.notifyOrders')}
          </label>
        )}
        <ErrorBox error={save.error} />
      </div>
      <form onSubmit={changeEmail} noValidate className="mt-6 space-y-3">
        <h3 className="font-semibold">{at('settings.changeEmail')}</h3>
        <TextField label={at('settings.newEmail')} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={form.errors.email} />
        <TextField label={at('settings.currentPassword')} type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} error={form.errors.currentPassword} />
        <ErrorBox error={form.error} />
        {form.done && <Notice>{at('settings.emailChanged')}</Notice>}
        <Button type="submit" disabled={form.busy}>
          {at('settings.changeEmail')}
        </Button>
      </form>
    </Card>
  );
}

/** A user's side of creator approval: ask, and see the answer. */
export function CreatorRequestCard({ user }: { user: User }) {
  const at = useAccountT();
  const qc = useQueryClient();
  const mine = useQuery({ queryKey: mailKeys.myCreatorRequest, queryFn: mailApi.myCreatorRequest, enabled: user.role === 'user' });
  const [reason, setReason] = useState('');
  const ask = useMutation({
    mutationFn: () => mailApi.askCreator(reason.trim()),
    onSuccess: () => qc.invalidateQueries({ queryKey: mailKeys.myCreatorRequest }),
  });
  if (user.role !== 'user' || mine.isPending) return null;
  const last = mine.data;
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{at('creator.title')}</h2>
      {last?.status === 'pending' ? (
        <Notice tone="info">{at('creator.pending')}</Notice>
      ) : (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) ask.mutate();
          }}
        >
          {last?.status === 'rejected' && <Notice tone="info">{at('creator.rejected', { reason: last.decisionReason ?? '—' })}</Notice>}
          <p className="text-sm text-slate-600">{at('creator.intro')}</p>
          <TextArea label={at('creator.reason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={3} />
          <ErrorBox error={ask.error} />
          <Button type="submit" disabled={ask.isPending || !reason.trim()}>
            {at('creator.submit')}
          </Button>
        </form>
      )}
    </Card>
  );
}
