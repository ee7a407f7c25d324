// GET /api/v1/signage/displays/:id/stream (Server-Sent Events): who may open one, the first
// event, pushes within 1 s of a change, schedule windows pushed without any client action,
// keep-alives, rotation and deletion closing streams, online status, and 1,000 streams on one
// process without a thread each.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { startServer } from './lib/harness.mjs';
import { register, loginAdmin, assertOk } from './lib/fixtures.mjs';

const BASE = '/api/v1/signage/displays';
const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Opens an SSE stream. Resolves once the response headers arrive with
// { status, headers, events, comments, next(pred, ms), ended, close() }.
function openStream(baseUrl, id, { token, query = false } = {}) {
  const url = new URL(`${baseUrl}${BASE}/${id}/stream`);
  const headers = {};
  if (token && query) url.searchParams.set('token', token);
  else if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const s = {
        status: res.statusCode, headers: res.headers, events: [], comments: [], body: '', waiters: [],
        ended: new Promise((r) => { res.on('end', r); res.on('close', r); res.on('error', r); }),
        close() { req.destroy(); },
        // The first event (from `from` on) matching pred, waiting at most ms.
        next(pred = () => true, ms = 3000, from = 0) {
          const hit = s.events.slice(from).find(pred);
          if (hit) return Promise.resolve(hit);
          return new Promise((res2, rej2) => {
            const w = { pred, res: res2 };
            s.waiters.push(w);
            setTimeout(() => {
              s.waiters = s.waiters.filter((x) => x !== w);
              rej2(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(s.events.map((e) => e.event))}`));
            }, ms).unref();
          });
        },
      };
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk) => {
        if (res.statusCode !== 200) { s.body += chunk; return; }
        buf += chunk;
        let cut;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const ev = { at: Date.now(), data: [] };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) { s.comments.push({ at: Date.now(), text: line }); continue; }
            const i = line.indexOf(':');
            const field = line.slice(0, i);
            const value = line.slice(i + 1).replace(/^ /, '');
            if (field === 'data') ev.data.push(value); else ev[field] = value;
          }
          if (!ev.event && ev.data.length === 0) continue;
          ev.data = ev.data.join('\n');
          try { ev.json = JSON.parse(ev.data); } catch { /* not JSON */ }
          s.events.push(ev);
          for (const w of [...s.waiters]) {
            if (w.pred(ev)) { s.waiters = s.waiters.filter((x) => x !== w); w.res(ev); }
          }
        }
      });
      resolve(s);
    });
    req.on('error', reject);
    req.setTimeout(90000, () => req.destroy());
  });
}

function threadsOf(pid) {
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}
function rssKbOf(pid) {
  return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

describe('signage streams', () => {
  let server;
  let api;
  let admin;
  let user;
  const issuedTokens = [];

  before(async () => {
    // Access log on, so that the test can check device tokens never reach it. One display takes
    // 1,000 streams below: the per-display cap (default 4) is raised here and tested on its own.
    server = await startServer({ env: { O4O_LOG_LEVEL: 'info', O4O_STREAMS_PER_DISPLAY: '1000' } });
    api = server.api;
    [admin, user] = await Promise.all([loginAdmin(api), register(api)]);
  });
  after(async () => {
    await server?.stop();
    const out = server.output();
    for (const t of issuedTokens) assert.ok(!out.includes(t), 'a device token reached the log');
  });

  async function createDisplay(name, content) {
    const data = assertOk(await api.post(BASE, { name, location: 'Test hall' }, { token: admin.token }), 201);
    issuedTokens.push(data.deviceToken);
    if (content) assertOk(await api.put(`${BASE}/${data.display.id}/content`, content, { token: admin.token }));
    return data;
  }
  const getDisplay = async (id) => assertOk(await api.get(`${BASE}/${id}`, { token: admin.token }));
  async function waitFor(check, ms = 3000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await sleep(50);
    }
  }

  it('refuses every token but the display\'s own device token', async () => {
    const { display } = await createDisplay('Guarded');
    const other = await createDisplay('Neighbour');
    const attempts = [
      {}, { token: admin.token }, { token: user.token }, { token: other.deviceToken },
      { token: other.deviceToken, query: true }, { token: 'f'.repeat(64), query: true },
    ];
    for (const a of attempts) {
      const s = await openStream(server.baseUrl, display.id, a);
      await s.ended;
      assert.equal(s.status, 401, JSON.stringify(a).slice(0, 60));
      assert.equal(JSON.parse(s.body).error.code, 'UNAUTHORIZED');
    }
  });

  it('sends the display at once, as event: content with an id, by header or ?token=', async () => {
    const { display, deviceToken } = await createDisplay('First event', { type: 'text', value: 'hello' });
    for (const query of [false, true]) {
      const s = await openStream(server.baseUrl, display.id, { token: deviceToken, query });
      assert.equal(s.status, 200);
      assert.match(s.headers['content-type'], /^text\/event-stream/);
      assert.match(s.headers['x-request-id'] ?? '', /^[0-9a-f]{16,}$/, 'a stream carries a request id like every answer');
      const ev = await s.next();
      assert.equal(ev.event, 'content');
      assert.ok(ev.id && ev.id.length > 0);
      assert.equal(ev.json.id, display.id);
      assert.equal(ev.json.contentVersion, 2);
      assert.deepEqual(ev.json.activeContent, { type: 'text', value: 'hello' });
      assert.equal(ev.json.status, 'online');
      assert.equal(ev.json.success, undefined, 'no envelope');
      s.close();
      await s.ended;
    }
  });

  it('pushes a content change within 1 s, and marks the display online while streaming', async () => {
    const { display, deviceToken } = await createDisplay('Live', { type: 'text', value: 'before' });
    const s = await openStream(server.baseUrl, display.id, { token: deviceToken });
    const first = await s.next();
    assert.equal((await getDisplay(display.id)).status, 'online');
    const t0 = Date.now();
    const r = await api.put(`${BASE}/${display.id}/content`, { type: 'html', value: '<p>after</p>' }, { token: admin.token });
    assertOk(r);
    const ev = await s.next((e) => e.json?.contentVersion === 3, 1000);
    assert.ok(ev.at - t0 < 1000, `event after ${ev.at - t0} ms`);
    assert.notEqual(ev.id, first.id);
    assert.deepEqual(ev.json.content, { type: 'html', value: '<p>after</p>' });
    // A rename is a change of the display too.
    assertOk(await api.put(`${BASE}/${display.id}`, { name: 'Live renamed' }, { token: admin.token }));
    const renamed = await s.next((e) => e.json?.name === 'Live renamed', 1000);
    assert.equal(renamed.json.contentVersion, 4);
    assert.equal(s.events.length, 3, 'one event per change');
    s.close();
    const d = await waitFor(async () => { const x = await getDisplay(display.id); return x.status === 'offline' && x; });
    assert.ok(d.lastSeenAt);
    assert.ok(Date.parse(d.lastSeenAt) >= t0 - 5000);
  });

  it('stays online while any of several streams is open', async () => {
    const { display, deviceToken } = await createDisplay('Twice');
    const a = await openStream(server.baseUrl, display.id, { token: deviceToken });
    const b = await openStream(server.baseUrl, display.id, { token: deviceToken, query: true });
    await Promise.all([a.next(), b.next()]);
    a.close();
    await a.ended;
    await sleep(700);
    assert.equal((await getDisplay(display.id)).status, 'online');
    b.close();
    await waitFor(async () => (await getDisplay(display.id)).status === 'offline');
  });

  it('closes the streams of a rotated token, and the old token answers 401', async () => {
    const { display, deviceToken } = await createDisplay('Rotated', { type: 'text', value: 'x' });
    const s = await openStream(server.baseUrl, display.id, { token: deviceToken });
    await s.next();
    const { deviceToken: fresh } = assertOk(await api.post(`${BASE}/${display.id}/token`, undefined, { token: admin.token }));
    issuedTokens.push(fresh);
    await Promise.race([s.ended, sleep(2000).then(() => { throw new Error('stream still open after rotation'); })]);
    const old = await openStream(server.baseUrl, display.id, { token: deviceToken });
    await old.ended;
    assert.equal(old.status, 401);
    const again = await openStream(server.baseUrl, display.id, { token: fresh });
    assert.equal(again.status, 200);
    assert.equal((await again.next()).json.id, display.id);
    again.close();
  });

  it('sends event: deleted and closes the stream when the display is deleted', async () => {
    const { display, deviceToken } = await createDisplay('Deleted');
    const s = await openStream(server.baseUrl, display.id, { token: deviceToken });
    await s.next();
    assertOk(await api.del(`${BASE}/${display.id}`, { token: admin.token }));
    const ev = await s.next((e) => e.event === 'deleted', 1000);
    assert.equal(ev.json.id, display.id);
    await Promise.race([s.ended, sleep(2000).then(() => { throw new Error('stream still open after delete'); })]);
    const after = await openStream(server.baseUrl, display.id, { token: deviceToken });
    await after.ended;
    assert.equal(after.status, 401);
  });

  describe('timed', { concurrency: true }, () => {
    it('sends a keep-alive comment every 15 s', { timeout: 40000 }, async () => {
      const { display, deviceToken } = await createDisplay('Quiet');
      const s = await openStream(server.baseUrl, display.id, { token: deviceToken });
      await s.next();
      const t0 = Date.now();
      await waitFor(() => s.comments.length >= 1, 16500);
      assert.equal(s.comments[0].text, ': keep-alive');
      assert.ok(s.comments[0].at - t0 <= 16000);
      assert.equal(s.events.length, 1, 'a keep-alive is not an event');
      s.close();
    });

    it('pushes a schedule window opening and closing without any client action', { timeout: 90000 }, async () => {
      const plain = { type: 'text', value: 'plain' };
      const special = { type: 'text', value: 'window' };
      // Two displays share the next minute boundary: a window opens on one and closes on the other.
      const opening = await createDisplay('Dayparted opening', plain);
      const closing = await createDisplay('Dayparted closing', plain);
      // Stay clear of a minute boundary while setting up.
      if (new Date().getUTCSeconds() >= 50) await sleep((61 - new Date().getUTCSeconds()) * 1000);
      const thisMinute = Math.floor(Date.now() / 60000) * 60000;
      const boundary = thisMinute + 60000;
      const hhmm = (ms) => new Date(ms).toISOString().slice(11, 16);
      const window = (start, end) => ({
        timezone: 'UTC', entries: [{ days: ALL_DAYS, start: hhmm(start), end: hhmm(end), priority: 1, content: special }],
      });
      const cases = [
        { d: opening, schedule: window(boundary, boundary + 60000), before: 'plain', after: 'window' },
        { d: closing, schedule: window(thisMinute, boundary), before: 'window', after: 'plain' },
      ];
      await Promise.all(cases.map(async (c) => {
        const s = await openStream(server.baseUrl, c.d.display.id, { token: c.d.deviceToken });
        await s.next();
        const set = assertOk(await api.put(`${BASE}/${c.d.display.id}/schedule`, c.schedule, { token: admin.token }));
        assert.equal(set.activeContent.value, c.before);
        await s.next((e) => e.json?.contentVersion === set.contentVersion, 1000);
        const ev = await s.next((e) => e.json?.activeContent?.value === c.after, boundary - Date.now() + 1500, 2);
        assert.ok(ev.at >= boundary - 50 && ev.at - boundary < 1000, `event ${ev.at - boundary} ms after the boundary`);
        assert.equal(ev.json.contentVersion, set.contentVersion, 'no write, same version');
        assert.equal(s.events.length, 3, 'first event, the schedule write, the window');
        assert.notEqual(ev.id, s.events[1].id);
        s.close();
      }));
    });

    it('feeds 1,000 streams on one process without a thread per stream', { timeout: 60000 }, async () => {
      const started = Date.now();
      const { display, deviceToken } = await createDisplay('Crowd', { type: 'text', value: 'start' });
      const pid = server.proc.pid;
      const streams = [await openStream(server.baseUrl, display.id, { token: deviceToken })];
      await streams[0].next();
      await sleep(300);
      const threadsWithOne = threadsOf(pid);
      const rssWithOne = rssKbOf(pid);
      try {
        // 999 more, in batches of 111.
        for (let batch = 0; batch < 9; batch++) {
          const more = await Promise.all(Array.from({ length: 111 }, () =>
            openStream(server.baseUrl, display.id, { token: deviceToken })));
          streams.push(...more);
        }
        assert.equal(streams.length, 1000);
        assert.ok(streams.every((s) => s.status === 200));
        await Promise.all(streams.map((s) => s.next(() => true, 10000)));
        const threadsWithMany = threadsOf(pid);
        const rssWithMany = rssKbOf(pid);
        // A thread per stream would add 999. A background thread of the database's may start
        // meanwhile (the SQLite checkpointer starts with the first long log), so a few are allowed.
        assert.ok(threadsWithMany - threadsWithOne <= 3,
          `thread count grew with the streams: ${threadsWithOne} -> ${threadsWithMany}`);
        const t0 = Date.now();
        assertOk(await api.put(`${BASE}/${display.id}/content`, { type: 'text', value: 'everyone' }, { token: admin.token }));
        const got = await Promise.all(streams.map((s) => s.next((e) => e.json?.content?.value === 'everyone', 10000)));
        const slowest = Math.max(...got.map((e) => e.at)) - t0;
        for (const s of streams) {
          assert.equal(s.events.filter((e) => e.json?.content?.value === 'everyone').length, 1);
        }
        assert.equal((await getDisplay(display.id)).status, 'online');
        console.log(`# 1000 streams: threads ${threadsWithOne} -> ${threadsWithMany}, RSS ${rssWithOne} -> ${rssWithMany} kB, ` +
          `all updated within ${slowest} ms`);
      } finally {
        for (const s of streams) s.close();
      }
      await waitFor(async () => (await getDisplay(display.id)).status === 'offline', 10000);
      assert.ok(Date.now() - started < 60000);
    });
  });
});

describe('signage streams per display (default cap of 4)', () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer();
    admin = await loginAdmin(server.api);
  });
  after(async () => { await server?.stop(); });

  it('a fifth stream closes the oldest after event: replaced; the others keep getting changes', async () => {
    const { display, deviceToken } = assertOk(await server.api.post(BASE, { name: 'Capped', location: 'Hall' },
      { token: admin.token }), 201);
    const streams = [];
    try {
      for (let i = 0; i < 5; i++) {
        const s = await openStream(server.baseUrl, display.id, { token: deviceToken });
        assert.equal(s.status, 200);
        await s.next((e) => e.event === 'content');
        streams.push(s);
      }
      const replaced = await streams[0].next((e) => e.event === 'replaced', 3000);
      assert.equal(replaced.json?.id, display.id);
      await Promise.race([streams[0].ended, sleep(3000).then(() => assert.fail('the oldest stream stayed open'))]);
      assertOk(await server.api.put(`${BASE}/${display.id}/content`, { type: 'text', value: 'after' }, { token: admin.token }));
      for (const s of streams.slice(1)) {
        await s.next((e) => e.json?.content?.value === 'after', 3000);
        assert.ok(!s.events.some((e) => e.event === 'replaced'));
      }
      assert.equal((await server.api.get(`${BASE}/${display.id}`, { token: admin.token })).data.status, 'online');
    } finally {
      for (const s of streams) s.close();
    }
  });
});
