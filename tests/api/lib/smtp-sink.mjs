// A real SMTP server on loopback for the tests (npm smtp-server): it accepts every message and
// parses it (npm mailparser), so that a test reads what a mail client would show. Installed by
// scripts/setup.sh into tests/node_modules.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { freePort } from './harness.mjs';

// Options: port (default a free one). Returns { port, url, mails, waitFor(pred, ms), stop() }.
export async function startSmtpSink({ port } = {}) {
  port ??= await freePort();
  const mails = [];
  const waiters = new Set();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        try {
          const parsed = await simpleParser(raw);
          const mail = {
            raw: raw.toString('utf8'),
            envelopeFrom: session.envelope.mailFrom?.address,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            to: parsed.to?.value?.map((v) => v.address) ?? [],
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId,
          };
          mails.push(mail);
          for (const w of waiters) w();
          callback();
        } catch (e) {
          callback(e);
        }
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    // The first mail (already here or still to come) that matches.
    async waitFor(pred, timeout = 15000) {
      const found = () => mails.find(pred);
      if (found()) return found();
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = found();
          if (m) { clearTimeout(timer); waiters.delete(check); resolve(m); }
        };
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`no such mail within ${timeout} ms; got: ${mails.map((m) => `${m.to} ${m.subject}`).join(' | ')}`)); }, timeout);
        waiters.add(check);
      });
    },
    // Waits until at least n mails match; returns them.
    async waitForCount(pred, n, timeout = 15000) {
      const deadline = Date.now() + timeout;
      while (mails.filter(pred).length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} mails, got ${mails.filter(pred).length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return mails.filter(pred);
    },
    stop() { return new Promise((resolve) => server.close(resolve)); },
  };
}

// The token in a link of the mail's text ("...?token=<hex>").
export function tokenIn(mail, path) {
  const m = mail.text.match(new RegExp(`${path}\\?token=([0-9a-f]+)`));
  if (!m) throw new Error(`no ${path} link in: ${mail.text}`);
  return m[1];
}
