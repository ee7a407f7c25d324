import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { displaysChanged, signageApi, signageKeys } from '../../../api/signage';
import { useT } from '../../../i18n';
import { useDates, useSubmit } from '../../../hooks';
import { Button, Card, FormError, StatusBadge, TextField, PagedList } from '../../../components/ui';
import { useTokens } from './TokenPanel';
import { ContentThumb } from './ContentThumb';

export function AdminDisplaysPage() {
  const t = useT();
  const { dateTime } = useDates();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const setToken = useTokens((s) => s.set);
  const [page, setPage] = useState(1);
  const [name, setName] = useState('');
  const [location, setLocation] = useState('');
  const form = useSubmit();
  const list = useQuery({ queryKey: signageKeys.displays(page), queryFn: () => signageApi.displays(page), refetchInterval: 10_000 });

  const submit = form.submit(
    (errs) => {
      if (!name.trim()) errs.name = t('common.required');
      if (!location.trim()) errs.location = t('common.required');
    },
    async () => {
      const r = await signageApi.create({ name: name.trim(), location: location.trim() });
      setToken(r.display.id, r.deviceToken);
      displaysChanged(qc, r.display);
      setName('');
      setLocation('');
      navigate(`/admin/displays/${r.display.id}`);
    },
  );

  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('signage.newDisplay')}</h2>
        <form onSubmit={submit} noValidate className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
          <TextField label={t('signage.name')} value={name} onChange={(e) => setName(e.target.value)} {...form.field('name')} />
          <TextField label={t('signage.location')} value={location} onChange={(e) => setLocation(e.target.value)} {...form.field('location')} />
          <Button type="submit" disabled={form.busy} className="sm:mt-6">
            {t('common.create')}
          </Button>
        </form>
        <div className="mt-3">
          <FormError form={form} />
        </div>
      </Card>
      <PagedList query={list} onPage={setPage} count={false}>
        {(items) => (
          <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
            {items.map((d) => (
              <li key={d.id}>
                <Link to={`/admin/displays/${d.id}`} className="flex gap-3 rounded-2xl bg-white p-4 ring-1 ring-slate-200 hover:ring-indigo-300">
                  <ContentThumb content={d.activeContent} />
                  <div className="min-w-0 flex-1">
                    <div className="flex items-center justify-between gap-2">
                      <span className="truncate font-semibold">{d.name}</span>
                      <StatusBadge status={d.status} />
                    </div>
                    <p className="text-sm text-slate-500">{d.location}</p>
                    <p className="mt-2 text-xs text-slate-500">
                      {t('signage.lastSeen')}: {d.lastSeenAt ? dateTime(d.lastSeenAt) : t('signage.never')} · {t('signage.version', { v: d.contentVersion })}
                    </p>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
