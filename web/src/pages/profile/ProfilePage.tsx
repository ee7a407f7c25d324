import { useAuth } from '../../store/auth';
import { useT, type MessageKey } from '../../i18n';
import { useDates } from '../../hooks';
import { Card, PageTitle } from '../../components/ui';
import { AssistantTokens } from './AssistantTokens';
import { DeleteAccount } from './DeleteAccount';
import { NameForm } from './NameForm';
import { PasswordForm } from './PasswordForm';
import { CreatorRequestCard, MailSettings } from '../account/MailSettings';

export function ProfilePage() {
  const t = useT();
  const user = useAuth((s) => s.user)!;
  const { date } = useDates();
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageTitle>{t('profile.title')}</PageTitle>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('profile.account')}</h2>
        <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-3">
          <dt className="text-slate-500">{t('auth.email')}</dt>
          <dd className="sm:col-span-2">{user.email}</dd>
          <dt className="text-slate-500">{t('profile.role')}</dt>
          <dd className="sm:col-span-2">{t(`role.${user.role}` as MessageKey)}</dd>
          <dt className="text-slate-500">{t('profile.memberSince')}</dt>
          <dd className="sm:col-span-2">{date(user.createdAt)}</dd>
        </dl>
      </Card>
      <NameForm user={user} />
      <MailSettings user={user} />
      <CreatorRequestCard user={user} />
      <PasswordForm user={user} />
      <AssistantTokens />
      <DeleteAccount user={user} />
    </div>
  );
}
