import { useState } from 'react';
import { ApiError } from '../../api/client';
import { mailApi } from '../../api/mail';
import { useAuth } from '../../store/auth';
import { useAccountT } from './text';

/** Shown to a signed-in user whose email is not confirmed yet, with "send again". */
export function VerifyBanner() {
  const at = useAccountT();
  const user = useAuth((s) => s.user);
  const [state, setState] = useState<'idle' | 'busy' | 'sent' | 'limited'>('idle');
  if (!user || user.emailVerified !== false) return null;
  const resend = async () => {
    setState('busy');
    try {
      await mailApi.requestVerification();
      setState('sent');
    } catch (e) {
      setState(e instanceof ApiError && e.status === 429 ? 'limited' : 'idle');
    }
  };
  return (
    <div role="status" className="mb-6 flex flex-wrap items-center gap-3 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
      <span className="flex-1">{at('banner.unverified')}</span>
      {state === 'sent' && <span>{at('banner.sent')}</span>}
      {state === 'limited' && <span>{at('banner.limited')}</span>}
      {(state === 'idle' || state === 'busy') && (
        <button type="button" onClick={resend} disabled={state === 'busy'} className="font-semibold text-amber-900 underline">
          {at('banner.resend')}
        </button>
      )}
    </div>
  );
}
