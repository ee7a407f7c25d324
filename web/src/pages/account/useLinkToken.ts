import { useState } from 'react';

/**
 * The `token` of a mailed link (?token=...), read once and then removed from the address bar, so
 * that it does not stay in the history, in a bookmark or in a Referer.
 */
export function useLinkToken(): string | null {
  const [token] = useState(() => {
    const url = new URL(window.location.href);
    const value = url.searchParams.get('token');
    if (value !== null) {
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    }
    return value;
  });
  return token;
}
