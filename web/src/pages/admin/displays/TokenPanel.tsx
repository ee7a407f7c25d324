import { useState } from 'react';
import { create } from 'zustand';
import { useT } from '../../../i18n';
import { Button } from '../../../components/ui';

/** Device tokens seen in this tab (they are shown once by the server); kept in memory only. */
export const useTokens = create<{ tokens: Record<string, string>; set: (id: string, token: string) => void }>((set) => ({
  tokens: {},
  set: (id, token) => set((s) => ({ tokens: { ...s.tokens, [id]: token } })),
}));

const playerUrl = (id: string, token: string) => `/signage/player/${id}?token=${encodeURIComponent(token)}`;

export function TokenPanel({ displayId, token }: { displayId: string; token: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-xl border border-amber-300 bg-amber-50 p-4" role="region" aria-label={t('signage.tokenTitle')}>
      <p className="font-semibold text-amber-900">{t('signage.tokenTitle')}</p>
      <p className="mb-2 text-sm text-amber-800">{t('signage.tokenOnce')}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs ring-1 ring-amber-200" data-testid="device-token">
          {token}
        </code>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(token).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? t('signage.copied') : t('signage.copy')}
        </Button>
        <a href={playerUrl(displayId, token)} target="_blank" rel="noopener" className="text-sm font-semibold text-indigo-700 underline">
          {t('signage.openPlayer')}
        </a>
      </div>
    </div>
  );
}
