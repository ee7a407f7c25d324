import { useEffect, useState } from 'react';
import { onlineManager } from '@tanstack/react-query';
import { useT } from '../i18n';

/**
 * Says so while the browser is offline; the queries that failed meanwhile are fetched again when it
 * is back (TanStack Query refetches on reconnect), and a short "back online" follows.
 */
export function OfflineBanner() {
  const t = useT();
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  const [back, setBack] = useState(false);
  useEffect(() => {
    const up = () => {
      setOnline(true);
      setBack(true);
      onlineManager.setOnline(true);
    };
    const down = () => {
      setOnline(false);
      setBack(false);
    };
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  useEffect(() => {
    if (!back) return;
    const id = setTimeout(() => setBack(false), 4000);
    return () => clearTimeout(id);
  }, [back]);
  if (online && !back) return null;
  return (
    <div role="status" data-testid="network-status" className={online ? 'bg-emerald-600 px-4 py-2 text-center text-sm font-medium text-white' : 'bg-amber-500 px-4 py-2 text-center text-sm font-medium text-slate-900'}>
      {online ? t('error.backOnline') : t('error.offline')}
    </div>
  );
}
