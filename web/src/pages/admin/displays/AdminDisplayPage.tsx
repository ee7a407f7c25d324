import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { displaysChanged, signageApi, signageKeys } from '../../../api/signage';
import type { Content, Display } from '../../../api/types';
import { useT, type MessageKey } from '../../../i18n';
import { useDates } from '../../../hooks';
import { Button, Card, ErrorBox, Loading, StatusBadge } from '../../../components/ui';
import { ContentForm } from './ContentForm';
import { RenameForm } from './RenameForm';
import { ScheduleForm } from './ScheduleForm';
import { TokenPanel, useTokens } from './TokenPanel';
import { LoadError } from '../../../components/LoadError';
import { Playlist } from '../../signage/Playlist';

export function AdminDisplayPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { dateTime } = useDates();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const token = useTokens((s) => s.tokens[id]);
  const setToken = useTokens((s) => s.set);
  const q = useQuery({ queryKey: signageKeys.display(id), queryFn: () => signageApi.display(id), refetchInterval: 5_000 });
  const rotate = useMutation({
    mutationFn: () => signageApi.rotateToken(id),
    onSuccess: (r) => setToken(id, r.deviceToken),
  });
  const del = useMutation({
    mutationFn: () => signageApi.remove(id),
    onSuccess: () => {
      qc.removeQueries({ queryKey: signageKeys.display(id) });
      displaysChanged(qc);
      navigate('/admin/displays');
    },
  });

  if (q.isPending) return <Loading />;
  if (q.error) return <LoadError what="display" error={q.error} onRetry={() => q.refetch()} />;
  const d = q.data;
  const onSaved = (nd: Display) => displaysChanged(qc, nd);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <Link to="/admin/displays" className="text-sm text-indigo-700 hover:underline">
          ← {t('admin.displays')}
        </Link>
        <h2 className="text-xl font-bold">{d.name}</h2>
        <StatusBadge status={d.status} />
        <span className="text-sm text-slate-500">
          {t('signage.version', { v: d.contentVersion })} · {t('signage.lastSeen')}: {d.lastSeenAt ? dateTime(d.lastSeenAt) : t('signage.never')}
        </span>
      </div>
      {token && <TokenPanel displayId={id} token={token} />}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <RenameForm display={d} onSaved={onSaved} />
        <Card>
          <h3 className="mb-3 font-semibold">{t('signage.tokenTitle')}</h3>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={rotate.isPending} onClick={() => window.confirm(t('signage.rotateConfirm')) && rotate.mutate()}>
              {t('signage.rotate')}
            </Button>
            <Button variant="danger" disabled={del.isPending} onClick={() => window.confirm(t('signage.deleteConfirm')) && del.mutate()}>
              {t('common.delete')}
            </Button>
          </div>
          <div className="mt-3">
            <ErrorBox error={rotate.error || del.error} />
          </div>
        </Card>
      </div>
      <Card>
        <h3 className="mb-1 font-semibold">{t('signage.preview')}</h3>
        <p className="mb-3 text-sm text-slate-600">
          {t('signage.activeContent')}: <span className="font-medium">{describe(d.activeContent, t)}</span>
        </p>
        {/* The display's activeContent as its player draws it, kept fresh by polling (no device token needed). */}
        <div className="relative aspect-video w-full max-w-2xl overflow-hidden rounded-lg bg-black text-white [container-type:size]" data-testid="display-preview">
          {d.activeContent ? (
            <Playlist content={d.activeContent} />
          ) : (
            <div className="flex h-full items-center justify-center text-sm text-slate-300">{t('signage.noContent')}</div>
          )}
        </div>
      </Card>
      <ContentForm display={d} onSaved={onSaved} />
      <ScheduleForm display={d} onSaved={onSaved} />
    </div>
  );
}

function describe(c: Content | null, t: (k: MessageKey, v?: Record<string, string | number>) => string): string {
  if (!c) return t('signage.noContent');
  if (c.type === 'playlist') return `${t('signage.type.playlist')} (${c.items.length})`;
  const v = c.value.length > 60 ? `${c.value.slice(0, 60)}…` : c.value;
  return `${t(`signage.type.${c.type}` as MessageKey)}: ${v}`;
}
