import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { mailApi, mailKeys, type CreatorRequest } from '../../api/mail';
import { usersChanged } from '../../api/accounts';
import { useDates } from '../../hooks';
import { Button, Card, ErrorBox, PagedList, SelectField, StatusBadge, TextField } from '../../components/ui';
import { useAccountT, type AccountKey } from '../account/text';

/** Requests to become a creator (O4O_CREATOR_APPROVAL=1): approve, or reject with a reason. */
export function AdminCreatorRequestsPage() {
  const at = useAccountT();
  const { date } = useDates();
  const qc = useQueryClient();
  const [status, setStatus] = useState('pending');
  const [page, setPage] = useState(1);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const requests = useQuery({
    queryKey: mailKeys.creatorRequests({ page, status }),
    queryFn: () => mailApi.creatorRequests({ page, status: status || undefined }),
    placeholderData: keepPreviousData,
  });
  const decide = useMutation({
    mutationFn: ({ userId, approve }: { userId: string; approve: boolean }) => mailApi.decide(userId, approve, reasons[userId]),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: mailKeys.all });
      usersChanged(qc);
    },
  });
  return (
    <div className="space-y-4">
      <SelectField label="Status" value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }} className="max-w-xs">
        <option value="pending">{at('status.pending')}</option>
        <option value="approved">{at('status.approved')}</option>
        <option value="rejected">{at('status.rejected')}</option>
        <option value="">—</option>
      </SelectField>
      <ErrorBox error={decide.error} />
      <PagedList query={requests} onPage={setPage}>
        {(items: CreatorRequest[]) => (
          <ul className="space-y-3">
            {items.map((r) => (
              <li key={r.id}>
                <Card>
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <div>
                      <p className="font-semibold">{r.userName} <span className="text-sm font-normal text-slate-500">{r.userEmail}</span></p>
                      <p className="text-sm text-slate-500">{date(r.createdAt)}</p>
                      <p className="mt-2 whitespace-pre-wrap text-sm">{r.reason || '—'}</p>
                      {r.decisionReason && <p className="mt-1 text-sm text-slate-600">{r.decisionReason}</p>}
                    </div>
                    <StatusBadge status={at(`status.${r.status}` as AccountKey)} />
                  </div>
                  {r.status === 'pending' && (
                    <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
                      <TextField className="flex-1" label={at('admin.rejectReason')} value={reasons[r.userId] ?? ''} onChange={(e) => setReasons({ ...reasons, [r.userId]: e.target.value })} maxLength={1000} />
                      <Button onClick={() => decide.mutate({ userId: r.userId, approve: true })} disabled={decide.isPending}>
                        {at('admin.approve')}
                      </Button>
                      <Button variant="secondary" onClick={() => decide.mutate({ userId: r.userId, approve: false })} disabled={decide.isPending}>
                        {at('admin.reject')}
                      </Button>
                    </div>
                  )}
                </Card>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
