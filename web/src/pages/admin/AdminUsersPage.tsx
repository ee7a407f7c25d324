import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountKeys, accountsApi, usersChanged } from '../../api/accounts';
import type { Role } from '../../api/types';
import { useT, type MessageKey } from '../../i18n';
import { useDates } from '../../hooks';
import { Button, Card, ErrorBox, Notice, TextField, PagedList } from '../../components/ui';

export function AdminUsersPage() {
  const t = useT();
  const { date } = useDates();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const users = useQuery({
    queryKey: accountKeys.users({ q: search, page }),
    queryFn: () => accountsApi.users({ q: search, page, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  // A role change is asked first and can be undone (set back) from the notice that follows.
  const [changed, setChanged] = useState<{ id: string; email: string; from: Role; to: Role } | null>(null);
  const setRole = useMutation({
    mutationFn: ({ id, role }: { id: string; email: string; from: Role; role: Role }) => accountsApi.updateUser(id, { role }),
    onSuccess: (_u, v) => {
      setChanged({ id: v.id, email: v.email, from: v.from, to: v.role });
      usersChanged(qc);
    },
  });
  const roleName = (r: Role) => t(`role.${r}` as MessageKey);
  const changeRole = (u: { id: string; email: string; role: Role }, role: Role) => {
    if (role === u.role || !window.confirm(t('admin.roleConfirm', { email: u.email, from: roleName(u.role), to: roleName(role) }))) return;
    setRole.mutate({ id: u.id, email: u.email, from: u.role, role });
  };
  return (
    <div className="space-y-4">
      <form
        role="search"
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
          setPage(1);
        }}
      >
        <TextField className="flex-1" type="search" label={t('common.search')} placeholder={t('admin.searchUsers')} value={q} onChange={(e) => setQ(e.target.value)} />
        <Button type="submit">{t('common.search')}</Button>
      </form>
      <ErrorBox error={setRole.error} />
      {changed && !setRole.isPending && (
        <Notice>
          {t('admin.roleChanged', { email: changed.email, role: roleName(changed.to) })}{' '}
          <button
            type="button"
            className="font-semibold underline"
            onClick={() => {
              setRole.mutate({ id: changed.id, email: changed.email, from: changed.to, role: changed.from });
              setChanged(null);
            }}
          >
            {t('admin.undo')}
          </button>
        </Notice>
      )}
      <PagedList query={users} onPage={setPage} count={false}>
        {(items) => (
          <Card className="overflow-x-auto p-0 sm:p-0">
            <table className="w-full min-w-[36rem] text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                  <th className="px-4 py-3">{t('auth.name')}</th>
                  <th className="px-4 py-3">{t('auth.email')}</th>
                  <th className="px-4 py-3">{t('profile.memberSince')}</th>
                  <th className="px-4 py-3">{t('admin.role')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((u) => (
                  <tr key={u.id}>
                    <td className="px-4 py-3 font-medium">{u.name}</td>
                    <td className="px-4 py-3">{u.email}</td>
                    <td className="px-4 py-3 text-slate-500">{date(u.createdAt)}</td>
                    <td className="px-4 py-3">
                      <label className="sr-only" htmlFor={`role-${u.id}`}>
                        {t('admin.role')} — {u.email}
                      </label>
                      <select
                        id={`role-${u.id}`}
                        value={u.role}
                        disabled={setRole.isPending}
                        onChange={(e) => changeRole(u, e.target.value as Role)}
                        className="rounded-md border-0 py-1 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
                      >
                        {(['user', 'creator', 'admin'] as Role[]).map((r) => (
                          <option key={r} value={r}>
                            {t(`role.${r}` as MessageKey)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
      </PagedList>
    </div>
  );
}
