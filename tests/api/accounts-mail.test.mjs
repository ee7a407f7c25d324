// Accounts II against a real SMTP server started here: the verification and reset mails arrive
// (recipient, Korean subject and body, a link whose token works once), a reset ends every session,
// bad tokens are 400, an unknown email gets the same answer, limits, SMTP down and back, and two
// instances that send each mail once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlOn } from './lib/harness.mjs';
import { startSmtpSink, tokenIn } from './lib/smtp-sink.mjs';
import { loginAdmin, uniqueEmail, assertOk, assertError, PASSWORD } from './lib/fixtures.mjs';

const NEW_PASSWORD = 'Brand-New-Pass-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const toMail = (email) => (m) => m.envelopeTo.includes(email);

// The outbox row of the newest mail to `email`, once `done(row)` holds (the sink may have the mail
// a moment before the sender has recorded it).
// Waits until the sink holds `n` mails that match (the sender works in the background, and a busy
// machine makes it slower than any fixed sleep); then a moment more, so a surplus would show.
async function mailsMatching(sink, pred, n, timeout = 15000) {
  for (const end = Date.now() + timeout; sink.mails.filter(pred).length < n && Date.now() < end; ) await sleep(100);
  await sleep(500);
  return sink.mails.filter(pred);
}

async function outboxRow(api, adminToken, email, done = () => true) {
  let row;
  for (let i = 0; i < 100; i++) {
    const page = assertOk(await api.get('/api/v1/admin/outbox?limit=100', { token: adminToken }));
    row = page.items.find((m) => m.to === email);
    if (row && done(row)) return row;
    await sleep(100);
  }
  return row;
}

describe('accounts: mail, verification and recovery', () => {
  let sink;
  let server;
  let api;
  let admin;

  before(async () => {
    sink = await startSmtpSink();
    server = await startServer({
      env: {
        O4O_SMTP_URL: sink.url,
        O4O_MAIL_FROM: '오포오 <no-reply@o4o.test>',
        O4O_PUBLIC_URL: 'https://shop.example.com',
        O4O_MAIL_PER_EMAIL_PER_HOUR: '3',
      },
    });
    api = server.api;
    admin = await loginAdmin(api);
  });
  after(async () => {
    await server?.stop();
    await sink?.stop();
  });

  async function registerKo(email = uniqueEmail('kim')) {
    const r = await api.post('/api/v1/auth/register', { email, password: PASSWORD, name: '김하늘', locale: 'ko' });
    return { ...assertOk(r, 201), email };
  }

  it('registration sends one welcome + verification mail, in Korean, whose link works once', async () => {
    const reg = await registerKo();
    assert.equal(reg.user.emailVerified, false);
    assert.equal(reg.user.locale, 'ko');
    const mail = await sink.waitFor(toMail(reg.email));
    assert.deepEqual(mail.envelopeTo, [reg.email]);
    assert.equal(mail.envelopeFrom, 'no-reply@o4o.test');
    assert.match(mail.subject, /이메일 주소를 확인해 주세요/);
    assert.match(mail.text, /김하늘님/);
    assert.match(mail.html, /<a href="https:\/\/shop\.example\.com\/verify-email\?token=/);
    assert.match(mail.raw, /^Subject: =\?UTF-8\?B\?/m);
    const token = tokenIn(mail, 'https://shop.example.com/verify-email');
    assert.ok(token.length >= 32, 'at least 128 bits');
    const user = assertOk(await api.post('/api/v1/auth/verify-email', { token }));
    assert.equal(user.emailVerified, true);
    assertError(await api.post('/api/v1/auth/verify-email', { token }), 400, 'INVALID_TOKEN');
    assertError(await api.post('/api/v1/auth/verify-email', { token: 'f'.repeat(64) }), 400, 'INVALID_TOKEN');
    const me = assertOk(await api.get('/api/v1/auth/me', { token: reg.accessToken }));
    assert.equal(me.emailVerified, true);
    await sleep(300);
    assert.equal(sink.mails.filter(toMail(reg.email)).length, 1, 'exactly one mail at registration');
  });

  it('forgot → reset: single use, every session ended, a notice mail, the new password works', async () => {
    const reg = await registerKo();
    await sink.waitFor(toMail(reg.email));
    // The old access token must be from an earlier second than the reset.
    await sleep(1100);
    assert.equal((await api.post('/api/v1/auth/password/forgot', { email: reg.email.toUpperCase() })).status, 202);
    const mail = await sink.waitFor((m) => toMail(reg.email)(m) && /비밀번호 재설정/.test(m.subject));
    const token = tokenIn(mail, 'https://shop.example.com/reset-password');
    // A weak password is refused and leaves the token usable.
    assertError(await api.post('/api/v1/auth/password/reset', { token, password: 'password123' }), 400, 'VALIDATION_ERROR');
    assertOk(await api.post('/api/v1/auth/password/reset', { token, password: NEW_PASSWORD }));
    assertError(await api.post('/api/v1/auth/password/reset', { token, password: NEW_PASSWORD }), 400, 'INVALID_TOKEN');
    // Every session ended: the refresh token and the access token of before.
    assertError(await api.post('/api/v1/auth/refresh', { refreshToken: reg.refreshToken }), 401, 'UNAUTHORIZED');
    assertError(await api.get('/api/v1/auth/me', { token: reg.accessToken }), 401, 'UNAUTHORIZED');
    assertError(await api.post('/api/v1/auth/login', { email: reg.email, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    const session = assertOk(await api.post('/api/v1/auth/login', { email: reg.email, password: NEW_PASSWORD }));
    assertOk(await api.get('/api/v1/auth/me', { token: session.accessToken }));
    const notice = await sink.waitFor((m) => toMail(reg.email)(m) && /비밀번호가 변경되었습니다/.test(m.subject));
    assert.match(notice.text, /김하늘님/);
  });

  it('expired, voided and forged reset tokens are 400 INVALID_TOKEN', async () => {
    const reg = await registerKo();
    await api.post('/api/v1/auth/password/forgot', { email: reg.email });
    const first = tokenIn(await sink.waitFor((m) => toMail(reg.email)(m) && /재설정/.test(m.subject)), '/reset-password');
    await api.post('/api/v1/auth/password/forgot', { email: reg.email });
    await sink.waitFor((m) => toMail(reg.email)(m) && /재설정/.test(m.subject) && !m.text.includes(first));
    const second = tokenIn(sink.mails.filter((m) => toMail(reg.email)(m) && /재설정/.test(m.subject)).at(-1), '/reset-password');
    assert.notEqual(first, second);
    // Asking again voided the first.
    assertError(await api.post('/api/v1/auth/password/reset', { token: first, password: NEW_PASSWORD }), 400, 'INVALID_TOKEN');
    // Expired: 30 minutes are over.
    sqlOn(server.db, `UPDATE account_tokens SET expires_at = 1 WHERE user_id = '${reg.user.id}' AND kind = 'password_reset'`);
    assertError(await api.post('/api/v1/auth/password/reset', { token: second, password: NEW_PASSWORD }), 400, 'INVALID_TOKEN');
    assertError(await api.post('/api/v1/auth/password/reset', { token: 'nope', password: NEW_PASSWORD }), 400, 'INVALID_TOKEN');
    assertError(await api.post('/api/v1/auth/password/reset', { password: NEW_PASSWORD }), 400, 'VALIDATION_ERROR');
  });

  it('answers an unknown email exactly like a known one', async () => {
    const reg = await registerKo();
    const known = await api.post('/api/v1/auth/password/forgot', { email: reg.email });
    const unknown = await api.post('/api/v1/auth/password/forgot', { email: uniqueEmail('nobody') });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, known.status);
    const shape = (r) => ({ ...r.json, timestamp: typeof r.json.timestamp });
    assert.deepEqual(shape(unknown), shape(known));
    const names = (r) => [...r.headers.keys()].sort();
    assert.deepEqual(names(unknown), names(known));
    for (const h of names(known)) {
      if (h === 'x-request-id' || h === 'date') continue;
      assert.equal(unknown.headers.get(h), known.headers.get(h), h);
    }
  });

  it('limits mails per email: verify-email/request answers 429, forgot still 202 but sends nothing', async () => {
    const reg = await registerKo();  // the first verification mail
    assert.equal((await api.post('/api/v1/auth/verify-email/request', null, { token: reg.accessToken })).status, 202);
    assert.equal((await api.post('/api/v1/auth/verify-email/request', null, { token: reg.accessToken })).status, 202);
    const limited = await api.post('/api/v1/auth/verify-email/request', null, { token: reg.accessToken });
    assertError(limited, 429, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // Only the newest verification link works.
    const links = (await mailsMatching(sink, toMail(reg.email), 3)).map((m) => tokenIn(m, '/verify-email'));
    assert.equal(links.length, 3);
    assertError(await api.post('/api/v1/auth/verify-email', { token: links[0] }), 400, 'INVALID_TOKEN');
    for (let i = 0; i < 4; i++) assert.equal((await api.post('/api/v1/auth/password/forgot', { email: reg.email })).status, 202);
    assert.equal((await mailsMatching(sink, (m) => toMail(reg.email)(m) && /재설정/.test(m.subject), 3)).length, 3);
  });

  it('changing the email needs the password, unverifies, and mails both addresses', async () => {
    const reg = await registerKo();
    await sink.waitFor(toMail(reg.email));
    const newEmail = uniqueEmail('moved');
    assertError(await api.put(`/api/v1/users/${reg.user.id}`, { email: newEmail }, { token: reg.accessToken }), 400, 'VALIDATION_ERROR');
    const user = assertOk(await api.put(`/api/v1/users/${reg.user.id}`, { email: newEmail, currentPassword: PASSWORD }, { token: reg.accessToken }));
    assert.equal(user.email, newEmail);
    assert.equal(user.emailVerified, false);
    const verify = await sink.waitFor(toMail(newEmail));
    const notice = await sink.waitFor((m) => toMail(reg.email)(m) && /이메일 주소가 변경되었습니다/.test(m.subject));
    assert.ok(notice.text.includes(newEmail));
    const verified = assertOk(await api.post('/api/v1/auth/verify-email', { token: tokenIn(verify, '/verify-email') }));
    assert.equal(verified.emailVerified, true);
    assertError(await api.put(`/api/v1/users/${reg.user.id}`, { email: admin.email, currentPassword: PASSWORD }, { token: reg.accessToken }), 409, 'EMAIL_TAKEN');
  });

  it('writes English mail for an English account and shows the outbox to admins only', async () => {
    const email = uniqueEmail('en');
    const reg = assertOk(await api.post('/api/v1/auth/register', { email, password: PASSWORD, name: 'Ann', locale: 'en' }), 201);
    const mail = await sink.waitFor(toMail(email));
    assert.match(mail.subject, /Welcome/);
    assert.match(mail.text, /Hello Ann/);
    assertError(await api.get('/api/v1/admin/outbox', { token: reg.accessToken }), 403, 'FORBIDDEN');
    const row = await outboxRow(api, admin.token, email, (r) => r.status === 'sent');
    assert.ok(row);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 1);
    assert.deepEqual(Object.keys(row).sort(), ['attempts', 'createdAt', 'id', 'kind', 'lastError', 'sentAt', 'status', 'subject', 'text', 'to']);
  });
});

describe('mail delivery: SMTP down and back, several instances', () => {
  it('keeps mail queued while SMTP is down and sends it when it is back', async () => {
    const { freePort } = await import('./lib/harness.mjs');
    const port = await freePort();
    const server = await startServer({ env: { O4O_SMTP_URL: `smtp://127.0.0.1:${port}` } });
    let sink;
    try {
      const admin = await loginAdmin(server.api);
      const email = uniqueEmail('later');
      assertOk(await server.api.post('/api/v1/auth/register', { email, password: PASSWORD, name: 'Later' }), 201);
      // The failed attempt is counted when it starts and its error written when it ends.
      let row = await outboxRow(server.api, admin.token, email, (r) => r.attempts > 0 && r.lastError);
      assert.equal(row.status, 'queued');
      assert.equal(row.attempts, 1);
      assert.ok(row.lastError);
      sink = await startSmtpSink({ port });
      // The next try is due in 30 s; bring it forward.
      sqlOn(server.db, 'UPDATE mail_outbox SET next_attempt_at = 0');
      const mail = await sink.waitFor(toMail(email));
      assert.ok(mail);
      row = await outboxRow(server.api, admin.token, email, (r) => r.status === 'sent');
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 2);
    } finally {
      await server.stop();
      await sink?.stop();
    }
  });

  it('two instances send each mail once', async () => {
    const sink = await startSmtpSink();
    const env = { O4O_SMTP_URL: sink.url };
    const first = await startServer({ env });
    const second = await startServer({ env, database: first.db, admin: false });
    try {
      const emails = [];
      for (let i = 0; i < 8; i++) {
        const email = uniqueEmail('twice');
        emails.push(email);
        const target = i % 2 ? first : second;
        assertOk(await target.api.post('/api/v1/auth/register', { email, password: PASSWORD, name: `Twice ${i}` }), 201);
      }
      for (const e of emails) await sink.waitFor(toMail(e));
      await sleep(2500);
      for (const e of emails) assert.equal(sink.mails.filter(toMail(e)).length, 1, e);
    } finally {
      await second.stop({ keepDatabase: true });
      await first.stop();
      await sink.stop();
    }
  });
});

describe('mail of payments, verified email and creator approval', () => {
  let sink;
  let server;
  let api;
  let admin;

  before(async () => {
    sink = await startSmtpSink();
    server = await startServer({
      env: { O4O_SMTP_URL: sink.url, O4O_REQUIRE_VERIFIED_EMAIL: '1', O4O_CREATOR_APPROVAL: '1', O4O_PUBLIC_URL: 'http://shop.test' },
    });
    api = server.api;
    admin = await loginAdmin(api);
  });
  after(async () => {
    await server?.stop();
    await sink?.stop();
  });

  async function verifiedUser(fields = {}) {
    const email = uniqueEmail('buyer');
    const reg = assertOk(await api.post('/api/v1/auth/register', { email, password: PASSWORD, name: '박구매', ...fields }), 201);
    const mail = await sink.waitFor(toMail(email));
    return { ...reg, email, token: reg.accessToken, mail };
  }

  it('refuses ordering, pledging and posting until the email is verified (403 EMAIL_NOT_VERIFIED)', async () => {
    const u = await verifiedUser();
    const product = assertOk(await api.post('/api/v1/ecommerce/products', { name: 'Mug', price: 12000, category: 'cups', stock: 5 }, { token: admin.token }), 201);
    const order = { items: [{ productId: product.id, quantity: 1 }] };
    assertError(await api.post('/api/v1/ecommerce/orders', order, { token: u.token }), 403, 'EMAIL_NOT_VERIFIED');
    assertError(await api.post('/api/v1/forum/posts', { title: 'Hello', content: 'World', category: 'general' }, { token: u.token }), 403, 'EMAIL_NOT_VERIFIED');
    assertError(await api.post('/api/v1/crowdfunding/projects/00000000-0000-4000-8000-000000000000/fund', { amount: 1000 }, { token: u.token }), 403, 'EMAIL_NOT_VERIFIED');
    assertOk(await api.post('/api/v1/auth/verify-email', { token: tokenIn(u.mail, '/verify-email') }));
    const placed = assertOk(await api.post('/api/v1/ecommerce/orders', order, { token: u.token }), 201);

    // Paying it mails a receipt to the buyer and a note to the admin, in the same transaction.
    const { payment } = assertOk(await api.post(`/api/v1/ecommerce/orders/${placed.id}/payment`, undefined, { token: u.token }), 201);
    const done = assertOk(await api.post(`/api/v1/payments/sim/${payment.id}/complete`, { outcome: 'paid' }, { token: u.token }));
    const params = Object.fromEntries(new URL(done.successUrl).searchParams);
    assertOk(await api.post(`/api/v1/payments/${payment.id}/confirm`, { paymentKey: params.paymentKey, amount: Number(params.amount) }, { token: u.token }));
    const receipt = await sink.waitFor((m) => toMail(u.email)(m) && /결제가 완료/.test(m.subject));
    assert.match(receipt.text, /12,000 KRW/);
    assert.ok(receipt.text.includes(`http://shop.test/me/orders/${placed.id}`));
    const note = await sink.waitFor((m) => /결제 주문/.test(m.subject) && m.text.includes(placed.id.slice(0, 8)));
    assert.ok(note.envelopeTo.length === 1);
    // Shipping it tells the buyer.
    assertOk(await api.put(`/api/v1/ecommerce/orders/${placed.id}/status`, { status: 'shipped' }, { token: admin.token }));
    const shipped = await sink.waitFor((m) => toMail(u.email)(m) && /발송되었습니다/.test(m.subject));
    assert.ok(shipped.text.includes(placed.id.slice(0, 8)));
  });

  it('registering as a creator asks for approval; the admin decides and the user is mailed', async () => {
    const u = await verifiedUser({ role: 'creator', locale: 'en' });
    assert.equal(u.user.role, 'user');
    const mine = assertOk(await api.get('/api/v1/users/me/creator-request', { token: u.token }));
    assert.equal(mine.status, 'pending');
    assertError(await api.post('/api/v1/users/me/creator-request', { reason: 'again' }, { token: u.token }), 409, 'CONFLICT');
    assertError(await api.get('/api/v1/users/creator-requests', { token: u.token }), 403, 'FORBIDDEN');
    const list = assertOk(await api.get('/api/v1/users/creator-requests?status=pending', { token: admin.token }));
    assert.ok(list.items.some((r) => r.userId === u.user.id));
    const approved = assertOk(await api.post(`/api/v1/users/${u.user.id}/creator-request/approve`, undefined, { token: admin.token }));
    assert.equal(approved.role, 'creator');
    await sink.waitFor((m) => toMail(u.email)(m) && /You are now a creator/.test(m.subject));
    assertError(await api.post(`/api/v1/users/${u.user.id}/creator-request/approve`, undefined, { token: admin.token }), 409, 'INVALID_TRANSITION');

    const other = await verifiedUser();
    assertOk(await api.post('/api/v1/users/me/creator-request', { reason: '공방을 운영합니다' }, { token: other.token }), 201);
    const rejected = assertOk(await api.post(`/api/v1/users/${other.user.id}/creator-request/reject`, { reason: '정보가 부족합니다' }, { token: admin.token }));
    assert.equal(rejected.role, 'user');
    const mail = await sink.waitFor((m) => toMail(other.email)(m) && /창작자 신청 결과/.test(m.subject));
    assert.match(mail.text, /정보가 부족합니다/);
  });
});
