// Forgot password → the mail (read from a real SMTP sink) → the reset page → log in with the new
// password; the old password no longer works and the token leaves the address bar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, uiLogin, uniqueEmail, apiCall } from './helpers.mjs';
import { startSmtpSink } from '../api/lib/smtp-sink.mjs';

const env = { server: null, browser: null, sink: null };
before(async () => {
  env.sink = await startSmtpSink();
  env.server = await startServer({ env: { O4O_SMTP_URL: env.sink.url } });
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  await env.sink?.stop();
});

test('forgot password → mail → reset → log in with the new password', { timeout: 90_000 }, async () => {
  const email = uniqueEmail('forgot');
  const name = 'Forgetful Fran';
  await apiCall(env.server.baseURL, 'POST', '/auth/register', { body: { email, password: 'Old-pass-for-Fran-1', name, locale: 'en' } });

  const page = await newPage(env.browser, env.server.baseURL);
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByText('If an account uses this address, a link is on its way.').waitFor();

  const mail = await env.sink.waitFor((m) => m.envelopeTo.includes(email) && /Reset your password/.test(m.subject));
  const link = new URL(mail.text.match(/https?:\/\/\S+\/reset-password\?token=[0-9a-f]+/)[0]);
  await page.goto(link.pathname + link.search);
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('token'), null, 'the token left the address bar');
  await page.getByLabel('New password', { exact: true }).fill('New-pass-for-Fran-2');
  await page.getByLabel('New password, again').fill('New-pass-for-Fran-2');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await page.getByText('Your password was changed and every session ended.').waitFor();

  // The old password is refused, the new one works.
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('Old-pass-for-Fran-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').first().waitFor();
  await uiLogin(page, { email, password: 'New-pass-for-Fran-2', name });
  await env.sink.waitFor((m) => m.envelopeTo.includes(email) && /Your password was changed/.test(m.subject));
  await page.context().close();
});
