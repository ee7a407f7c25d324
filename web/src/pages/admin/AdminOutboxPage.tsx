import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { mailApi, mailKeys, type OutboxMail } from '../../api/mail';
import { useDates } from '../../hooks';
import { Card, PagedList, SelectField, StatusBadge } from '../../components/ui';
import { useAccountT, type AccountKey } from '../account/text';

/** Every mail the platform wrote, newest first; with no SMTP configured, this is where it stays. */
export function AdminOutboxPage() {
  const at = useAccountT();
  const { date } = useDates();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const mails = useQuery({
    queryKey: mailKeys.outbox({ page, status }),
    queryFn: () => mailApi.outbox({ page, status: status || undefined }),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">{at('admin.outboxIntro')}</p>
      <SelectField label="Status" value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }} className="max-w-xs">
        <option value="">—</option>
        <option value="queued">{at('status.queued')}</option>
        <option value="sent">{at('status.sent')}</option>
        <option value="failed">{at('status.failed')}</option>
      </SelectField>
      <PagedList query={mails} onPage={setPage}>
        {(items: OutboxMail[]) => (
          <ul className="space-y-3" aria-label={at('admin.outbox')}>
            {items.map((m) => (
              <li key={m.id}>
                <Card>
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <div className="min-w-0">
                      <p className="font-semibold" data-testid="outbox-subject">{m.subject}</p>
                      <p className="text-sm text-slate-600">
                        {at('admin.to')}: <span data-testid="outbox-to">{m.to}</span> · {date(m.createdAt)} · {at('admin.attempts')}: {m.attempts}
                      </p>
                      {m.lastError && <p className="text-sm text-red-700">{m.lastError}</p>}
                    </div>
                    <div className="flex items-center gap-2">
                      <StatusBadge status={at(`status.${m.status}` as AccountKey)} />
                      <button type="button" className="text-sm font-semibold text-indigo-700 hover:underline" onClick={() => setOpen(open === m.id ? null : m.id)}>
                        {open === m.id ? at('admin.hide') : at('admin.show')}
                      </button>
                    </div>
                  </div>
                  {open === m.id && <pre className="mt-3 whitespace-pre-wrap break-words rounded bg-slate-50 p-3 text-sm" data-testid="outbox-text">{m.text}</pre>}
                </Card>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
