import { useEffect, useState } from 'react';
import { mailApi } from '../../api/mail';
import { useAuth } from '../../store/auth';
import { Card, Loading, Notice } from '../../components/ui';
import { useAccountT } from './text';
import { useLinkToken } from './useLinkToken';

/** The landing page of the verification link: confirms the address once, on arrival. */
export function VerifyEmailPage() {
  const at = useAccountT();
  const token = useLinkToken();
  const [state, setState] = useState<'working' | 'done' | 'invalid'>(token ? 'working' : 'invalid');
  useEffect(() => {
    if (!token) return;
    let live = true;
    mailApi.verify(token).then(
      (user) => {
        if (!live) return;
        const signedIn = useAuth.getState().user;
        if (signedIn?.id === user.id) useAuth.getState().setUser(user);
        setState('done');
      },
      () => live && setState('invalid'),
    );
    return () => {
      live = false;
    };
  }, [token]);
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="mb-6 text-2xl font-bold">{at('verify.title')}</h1>
        {state === 'working' && <Loading />}
        {state === 'done' && <Notice>{at('verify.done')}</Notice>}
        {state === 'invalid' && <Notice tone="info">{at('verify.invalid')}</Notice>}
      </Card>
    </div>
  );
}
