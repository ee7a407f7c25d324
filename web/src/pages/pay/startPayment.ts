import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { qs } from '../../api/client';
import { paymentsApi, rememberProject, type Checkout, type PaymentPurpose } from '../../api/payments';
import { useAuth } from '../../store/auth';
import { useConfig } from '../../hooks';
import { useT } from '../../i18n';
import { isTossUserCancel, requestTossPayment } from '../../lib/toss';

/** The sim provider's hosted page, a page of this app. */
export function simCheckoutPath(c: Checkout): string {
  return `/pay/sim/${encodeURIComponent(c.paymentId)}${qs({ successUrl: c.successUrl, failUrl: c.failUrl, amount: c.amount, orderName: c.orderName })}`;
}

/**
 * Sends the browser to a URL the server handed out (a provider page, successUrl, failUrl): inside
 * the app when it is one of ours, else a full page load; anything but http(s) is refused.
 */
export function useGoTo() {
  const navigate = useNavigate();
  return (url: string) => {
    const u = new URL(url, window.location.origin);
    if (u.origin === window.location.origin) navigate(u.pathname + u.search + u.hash);
    else if (u.protocol === 'https:' || u.protocol === 'http:') window.location.assign(u.href);
    else throw new Error(`Refusing to open ${u.protocol} URL`);
  };
}

/**
 * Takes the buyer from "pay" to the provider: `open(checkout)` for a checkout the page already has,
 * `start(purpose, targetId)` to ask the server for one first (a second ask while one is pending
 * gets the same payment back). `busy` and `error` are for the button that started it.
 */
export function useStartPayment() {
  const t = useT();
  const cfg = useConfig();
  const user = useAuth((s) => s.user);
  const goTo = useGoTo();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);

  /**
   * Sends the buyer to the provider; false when they closed the provider's window instead (Toss's
   * window sends the browser on by itself when it is done).
   */
  async function open(checkout: Checkout): Promise<boolean> {
    if (checkout.provider === 'toss') {
      const clientKey = checkout.clientKey ?? cfg.payments?.clientKey ?? null;
      if (!clientKey) throw new Error(t('pay.unavailable'));
      try {
        await requestTossPayment(checkout, clientKey, cfg.currency, cfg.fractionDigits, { email: user?.email, name: user?.name });
        return true;
      } catch (err) {
        if (isTossUserCancel(err)) return false;
        throw err;
      }
    }
    if (checkout.redirectUrl) goTo(checkout.redirectUrl);
    else if (checkout.provider === 'sim') goTo(simCheckoutPath(checkout));
    else throw new Error(t('pay.unavailable'));
    return true;
  }

  /** Returns whether the buyer was sent on; on failure `error` says why. */
  async function start(purpose: PaymentPurpose, targetId: string, opts: { projectId?: string } = {}): Promise<boolean> {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      const { checkout } = await paymentsApi.start(purpose, targetId);
      if (opts.projectId) rememberProject(checkout.paymentId, opts.projectId);
      return await open(checkout);
    } catch (err) {
      setError(err);
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  return { open, start, busy, error };
}
