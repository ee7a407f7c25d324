import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { Content, Display } from '../../api/types';
import { playerUrls } from '../../api/signage';
import { useT } from '../../i18n';
import { Playlist } from './Playlist';

type ConnState = 'connecting' | 'live' | 'reconnecting' | 'deleted' | 'unauthorized';

const cacheKey = (id: string) => `o4o.signage.${id}`;

function loadCached(id: string): Display | null {
  try {
    return JSON.parse(localStorage.getItem(cacheKey(id)) ?? 'null');
  } catch {
    return null;
  }
}

/**
 * Full-screen player. Listens to the display's event stream and shows its active content;
 * when the connection drops it keeps the last content on screen and reconnects with backoff.
 */
export function SignagePlayerPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const t = useT();
  const [display, setDisplay] = useState<Display | null>(() => loadCached(id));
  const [conn, setConn] = useState<ConnState>('connecting');

  useEffect(() => {
    document.title = 'O4O Signage';
    let es: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const checkAuth = async () => {
      // EventSource hides the status of a failed connection; ask once so a bad token is shown as such.
      try {
        const res = await fetch(playerUrls.display(id), { headers: { Authorization: `Bearer ${token}` } });
        if (res.status === 401 || res.status === 403) return 'unauthorized' as const;
        if (res.status === 404) return 'deleted' as const;
      } catch {
        /* offline: keep retrying */
      }
      return null;
    };

    const schedule = () => {
      if (stopped) return;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)) * (0.75 + Math.random() * 0.5);
      attempt++;
      timer = setTimeout(connect, delay);
    };

    const connect = () => {
      if (stopped) return;
      es?.close();
      es = new EventSource(playerUrls.stream(id, token));
      es.addEventListener('open', () => {
        attempt = 0;
        setConn('live');
      });
      es.addEventListener('content', (ev) => {
        try {
          const d = JSON.parse((ev as MessageEvent<string>).data) as Display;
          setDisplay(d);
          setConn('live');
          attempt = 0;
          try {
            localStorage.setItem(cacheKey(id), JSON.stringify(d));
          } catch {
            /* ignore */
          }
        } catch {
          /* a malformed event changes nothing */
        }
      });
      es.addEventListener('deleted', () => {
        stopped = true;
        es?.close();
        try {
          localStorage.removeItem(cacheKey(id));
        } catch {
          /* ignore */
        }
        setDisplay(null);
        setConn('deleted');
      });
      es.addEventListener('error', () => {
        if (stopped) return;
        // Keep whatever is on screen. Let the browser retry on its own while it can; once it gave
        // up (closed), reconnect ourselves with backoff.
        setConn('reconnecting');
        if (es && es.readyState === EventSource.CLOSED) {
          es.close();
          void checkAuth().then((bad) => {
            if (stopped) return;
            setConn(bad ?? 'reconnecting');
            schedule();
          });
        }
      });
    };

    if (!token) setConn('unauthorized');
    else connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      es?.close();
    };
  }, [id, token]);

  const content: Content | null = display ? (display.activeContent ?? display.content) : null;

  return (
    <div className="fixed inset-0 overflow-hidden bg-black text-white [container-type:size]" data-testid="signage-player" data-conn={conn}>
      {content ? (
        <Playlist content={content} />
      ) : (
        <div className="flex h-full items-center justify-center p-8 text-center text-2xl text-slate-300">
          {conn === 'deleted' ? t('signage.deleted') : conn === 'unauthorized' ? t('signage.unauthorized') : t('signage.waiting')}
        </div>
      )}
      {conn !== 'live' && conn !== 'connecting' && (
        <div role="status" className="pointer-events-none absolute bottom-3 right-3 rounded-full bg-black/60 px-3 py-1 text-xs text-slate-200">
          {conn === 'reconnecting' ? t('signage.offline') : conn === 'deleted' ? t('signage.deleted') : t('signage.unauthorized')}
        </div>
      )}
    </div>
  );
}
