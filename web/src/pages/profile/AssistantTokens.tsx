import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { assistantTokenKeys, assistantTokensApi, assistantTokensChanged, type TokenScope } from '../../api/assistantTokens';
import { useT } from '../../i18n';
import { useDates, useSubmit } from '../../hooks';
import { Button, Card, ErrorBox, Notice, PagedList, SelectField, TextField } from '../../components/ui';

// Tokens for AI assistants (Claude Desktop, Cursor, VS Code through `o4o mcp`): made here, shown
// once, listed by name and revoked at once.
export function AssistantTokens() {
  const t = useT();
  const { date } = useDates();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [days, setDays] = useState('90');
  const [secret, setSecret] = useState<string | null>(null);
  const q = useQuery({ queryKey: assistantTokenKeys.list(page), queryFn: () => assistantTokensApi.list(page) });
  const revoke = useMutation({ mutationFn: assistantTokensApi.revoke, onSuccess: () => assistantTokensChanged(qc) });
  const form = useSubmit();
  // Where this page came from is where assistants reach the server (the same origin serves /mcp).
  const mcpUrl = `${window.location.origin}/mcp`;

  const submit = form.submit(
    (errs) => {
      const n = name.trim();
      if (n.length < 1 || n.length > 100) errs.name = t('tokens.nameLength');
      const d = days === '' ? undefined : Number(days);
      if (d !== undefined && (!Number.isInteger(d) || d < 1 || d > 3650)) errs.expiresInDays = t('tokens.daysRange');
      return { name: n, scope, expiresInDays: d };
    },
    async (body) => {
      const made = await assistantTokensApi.create(body);
      setSecret(made.token);
      setName('');
      assistantTokensChanged(qc);
    },
  );

  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">{t('tokens.title')}</h2>
      <p className="mb-2 text-sm text-slate-600">{t('tokens.intro')}</p>
      <p className="mb-4 text-sm">
        {t('tokens.address')}: <code data-testid="mcp-address" className="rounded bg-slate-100 px-1">{mcpUrl}</code>
      </p>
      {secret && (
        <div className="mb-4 space-y-2">
          <Notice>{t('tokens.shownOnce')}</Notice>
          <code data-testid="new-token" className="block break-all rounded bg-slate-100 p-2 text-sm">{secret}</code>
          <Button type="button" variant="secondary" onClick={() => void navigator.clipboard?.writeText(secret)}>
            {t('tokens.copy')}
          </Button>
          <p className="text-sm text-slate-600">{t('tokens.config')}</p>
          <pre data-testid="mcp-config" className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">{httpConfig(mcpUrl, secret)}</pre>
        </div>
      )}
      <form onSubmit={submit} noValidate className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField label={t('tokens.name')} value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} maxLength={100} placeholder="Claude Desktop" />
        <SelectField label={t('tokens.scope')} value={scope} onChange={(e) => setScope(e.target.value as TokenScope)}>
          <option value="read">{t('tokens.scopeRead')}</option>
          <option value="write">{t('tokens.scopeWrite')}</option>
        </SelectField>
        <TextField label={t('tokens.days')} type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} error={form.errors.expiresInDays} hint={t('tokens.daysHint')} />
        <div className="sm:col-span-3">
          <ErrorBox error={form.error} />
          <Button type="submit" disabled={form.busy}>{t('tokens.create')}</Button>
        </div>
      </form>
      <ErrorBox error={revoke.error} />
      <div className="mt-4">
        <PagedList query={q} onPage={setPage} empty={t('tokens.none')} count={false}>
          {(items) => (
            <ul className="divide-y divide-slate-200">
              {items.map((tok) => (
                <li key={tok.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <div>
                    <p className="font-medium">{tok.name}</p>
                    <p className="text-slate-500">
                      {tok.scope === 'write' ? t('tokens.scopeWrite') : t('tokens.scopeRead')} · {t('tokens.created', { date: date(tok.createdAt) })}
                      {' · '}
                      {tok.expiresAt ? t('tokens.expires', { date: date(tok.expiresAt) }) : t('tokens.noExpiry')}
                    </p>
                  </div>
                  <Button type="button" variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(tok.id)}>
                    {t('tokens.revoke')}
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </PagedList>
      </div>
    </Card>
  );
}

// The "mcpServers" entry of an HTTP client's settings (Cursor's mcp.json; VS Code and Claude Code
// take the same url and headers), with the new token in it.
function httpConfig(url: string, token: string): string {
  return JSON.stringify({ mcpServers: { o4o: { url, headers: { Authorization: `Bearer ${token}` } } } }, null, 2);
}
