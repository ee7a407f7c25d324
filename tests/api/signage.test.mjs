// /api/v1/signage over HTTP, every row of the contract table: who may call what, validation,
// content and schedules, token rotation and deletion. Streams are in signage-stream.test.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { register, loginAdmin, assertOk, assertError } from './lib/fixtures.mjs';

const BASE = '/api/v1/signage/displays';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const DISPLAY_KEYS = ['activeContent', 'content', 'contentVersion', 'createdAt', 'id', 'lastSeenAt', 'location',
  'name', 'schedule', 'status', 'updatedAt'];
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

describe('signage API', () => {
  let server;
  let api;
  let admin;
  let user;

  before(async () => {
    server = await startServer();
    api = server.api;
    [admin, user] = await Promise.all([loginAdmin(api), register(api)]);
  });
  after(async () => { await server?.stop(); });

  async function createDisplay(name = 'Lobby', location = 'Ground floor') {
    const r = await api.post(BASE, { name, location }, { token: admin.token });
    return assertOk(r, 201);
  }

  describe('who may call what', () => {
    let display;
    before(async () => { ({ display } = await createDisplay('Auth matrix')); });

    const adminRoutes = () => [
      ['GET', BASE],
      ['POST', BASE, { name: 'x', location: 'y' }],
      ['PUT', `${BASE}/${display.id}`, { name: 'x' }],
      ['POST', `${BASE}/${display.id}/token`],
      ['PUT', `${BASE}/${display.id}/content`, { type: 'text', value: 'x' }],
      ['PUT', `${BASE}/${display.id}/schedule`, { timezone: 'UTC', entries: [] }],
      ['DELETE', `${BASE}/${display.id}`],
    ];

    it('answers 401 without a token on every route', async () => {
      for (const [method, path, body] of [...adminRoutes(), ['GET', `${BASE}/${display.id}`]]) {
        assertError(await api.req(method, path, { body }), 401, 'UNAUTHORIZED');
      }
    });

    it('answers 403 to a signed-in user on admin routes, GET /:id included', async () => {
      for (const [method, path, body] of [...adminRoutes(), ['GET', `${BASE}/${display.id}`]]) {
        assertError(await api.req(method, path, { body, token: user.token }), 403, 'FORBIDDEN');
      }
      // Nothing changed.
      const d = assertOk(await api.get(`${BASE}/${display.id}`, { token: admin.token }));
      assert.equal(d.name, 'Auth matrix');
      assert.equal(d.contentVersion, 1);
    });

    it('answers 401 to a tampered or malformed bearer token', async () => {
      assertError(await api.get(BASE, { token: admin.token + 'x' }), 401, 'UNAUTHORIZED');
      assertError(await api.get(`${BASE}/${display.id}`, { token: 'not-a-token' }), 401, 'UNAUTHORIZED');
      assertError(await api.get(`${BASE}/${display.id}`, { headers: { authorization: 'Basic abc' } }), 401,
        'UNAUTHORIZED');
    });
  });

  describe('POST /displays', () => {
    it('creates a display and shows its device token once', async () => {
      const data = await createDisplay('  Front desk ', 'Lobby');
      assert.deepEqual(Object.keys(data).sort(), ['deviceToken', 'display']);
      assert.match(data.deviceToken, /^[0-9a-f]{64}$/);
      const d = data.display;
      assert.deepEqual(Object.keys(d).sort(), DISPLAY_KEYS);
      assert.equal(d.name, 'Front desk');
      assert.equal(d.location, 'Lobby');
      assert.equal(d.status, 'offline');
      assert.equal(d.content, null);
      assert.equal(d.activeContent, null);
      assert.equal(d.schedule, null);
      assert.equal(d.contentVersion, 1);
      assert.equal(d.lastSeenAt, null);
      assert.match(d.createdAt, TS);
      assert.match(d.updatedAt, TS);
      // The token is never shown again.
      const again = await api.get(`${BASE}/${d.id}`, { token: admin.token });
      assert.ok(!again.text.includes(data.deviceToken));
      const list = await api.get(`${BASE}?limit=100`, { token: admin.token });
      assert.ok(!list.text.includes(data.deviceToken));
    });

    it('validates name and location', async () => {
      let e = assertError(await api.post(BASE, {}, { token: admin.token }), 400, 'VALIDATION_ERROR');
      assert.deepEqual(e.details.map((x) => x.field).sort(), ['location', 'name']);
      e = assertError(await api.post(BASE, { name: 'x'.repeat(101), location: 'y' }, { token: admin.token }), 400,
        'VALIDATION_ERROR');
      assert.deepEqual(e.details.map((x) => x.field), ['name']);
      e = assertError(await api.post(BASE, { name: 'x', location: 5 }, { token: admin.token }), 400,
        'VALIDATION_ERROR');
      assert.deepEqual(e.details.map((x) => x.field), ['location']);
      assertError(await api.post(BASE, '{"name":', { token: admin.token, headers: { 'content-type': 'application/json' } }),
        400, 'INVALID_JSON');
      assertError(await api.post(BASE, 'name=x', { token: admin.token, headers: { 'content-type': 'text/plain' } }),
        415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('GET /displays', () => {
    it('pages through displays in creation order', async () => {
      const fresh = await startServer();
      try {
        const a = await loginAdmin(fresh.api);
        const ids = [];
        for (const n of ['one', 'two', 'three']) {
          const r = await fresh.api.post(BASE, { name: n, location: 'here' }, { token: a.token });
          ids.push(assertOk(r, 201).display.id);
        }
        const p1 = assertOk(await fresh.api.get(`${BASE}?limit=2`, { token: a.token }));
        assert.deepEqual({ page: p1.page, limit: p1.limit, total: p1.total }, { page: 1, limit: 2, total: 3 });
        assert.deepEqual(p1.items.map((d) => d.id), ids.slice(0, 2));
        const p2 = assertOk(await fresh.api.get(`${BASE}?limit=2&page=2`, { token: a.token }));
        assert.deepEqual(p2.items.map((d) => d.id), ids.slice(2));
        assert.deepEqual(Object.keys(p2.items[0]).sort(), DISPLAY_KEYS);
        assertError(await fresh.api.get(`${BASE}?limit=0`, { token: a.token }), 400, 'VALIDATION_ERROR');
        assertError(await fresh.api.get(`${BASE}?limit=101`, { token: a.token }), 400, 'VALIDATION_ERROR');
        assertError(await fresh.api.get(`${BASE}?page=0`, { token: a.token }), 400, 'VALIDATION_ERROR');
      } finally {
        await fresh.stop();
      }
    });
  });

  describe('GET /displays/:id', () => {
    it('serves the admin and the display\'s own device token only', async () => {
      const { display, deviceToken } = await createDisplay('Reader');
      const other = await createDisplay('Other');
      const byAdmin = assertOk(await api.get(`${BASE}/${display.id}`, { token: admin.token }));
      assert.equal(byAdmin.id, display.id);
      const byDevice = assertOk(await api.get(`${BASE}/${display.id}`, { token: deviceToken }));
      assert.deepEqual(byDevice, byAdmin);
      // Another display's token, and a display's token on another display: 401.
      assertError(await api.get(`${BASE}/${display.id}`, { token: other.deviceToken }), 401, 'UNAUTHORIZED');
      assertError(await api.get(`${BASE}/${other.display.id}`, { token: deviceToken }), 401, 'UNAUTHORIZED');
      assertError(await api.get(`${BASE}/${UNKNOWN}`, { token: deviceToken }), 401, 'UNAUTHORIZED');
      assertError(await api.get(`${BASE}/${display.id}`, { token: 'f'.repeat(64) }), 401, 'UNAUTHORIZED');
      // A device token cannot do anything else.
      assertError(await api.get(BASE, { token: deviceToken }), 401, 'UNAUTHORIZED');
      assertError(await api.put(`${BASE}/${display.id}/content`, { type: 'text', value: 'x' }, { token: deviceToken }),
        401, 'UNAUTHORIZED');
    });

    it('answers 404 for unknown and malformed ids', async () => {
      assertError(await api.get(`${BASE}/${UNKNOWN}`, { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await api.get(`${BASE}/not-a-uuid`, { token: admin.token }), 404, 'NOT_FOUND');
      for (const [method, suffix, body] of [['PUT', '', { name: 'x' }], ['POST', '/token'],
        ['PUT', '/content', { type: 'text', value: 'x' }], ['PUT', '/schedule', { timezone: 'UTC', entries: [] }], ['DELETE', '']]) {
        assertError(await api.req(method, `${BASE}/${UNKNOWN}${suffix}`, { body, token: admin.token }), 404, 'NOT_FOUND');
      }
    });
  });

  describe('PUT /displays/:id', () => {
    it('renames and moves a display, bumping contentVersion', async () => {
      const { display } = await createDisplay('Old name', 'Old place');
      const d = assertOk(await api.put(`${BASE}/${display.id}`, { name: 'New name', contentVersion: 99, status: 'online' },
        { token: admin.token }));
      assert.equal(d.name, 'New name');
      assert.equal(d.location, 'Old place');
      assert.equal(d.contentVersion, 2, 'client-sent fields are ignored');
      assert.equal(d.status, 'offline');
      const d2 = assertOk(await api.put(`${BASE}/${display.id}`, { location: 'Cafe' }, { token: admin.token }));
      assert.equal(d2.location, 'Cafe');
      assert.equal(d2.contentVersion, 3);
      const e = assertError(await api.put(`${BASE}/${display.id}`, { name: '' }, { token: admin.token }), 400,
        'VALIDATION_ERROR');
      assert.deepEqual(e.details.map((x) => x.field), ['name']);
    });
  });

  describe('POST /displays/:id/token', () => {
    it('issues a new token and revokes the old one', async () => {
      const { display, deviceToken } = await createDisplay('Rotating');
      const r = assertOk(await api.post(`${BASE}/${display.id}/token`, undefined, { token: admin.token }));
      assert.deepEqual(Object.keys(r), ['deviceToken']);
      assert.match(r.deviceToken, /^[0-9a-f]{64}$/);
      assert.notEqual(r.deviceToken, deviceToken);
      assertError(await api.get(`${BASE}/${display.id}`, { token: deviceToken }), 401, 'UNAUTHORIZED');
      assertOk(await api.get(`${BASE}/${display.id}`, { token: r.deviceToken }));
      const d = assertOk(await api.get(`${BASE}/${display.id}`, { token: admin.token }));
      assert.equal(d.contentVersion, 1, 'the token is not content');
    });
  });

  describe('PUT /displays/:id/content', () => {
    it('accepts every content type and keeps HTML verbatim', async () => {
      const { display, deviceToken } = await createDisplay('Content');
      const html = '  <h1 onclick="alert(1)">Hi & <b>welcome</b></h1>\n';
      const cases = [
        { type: 'text', value: ' Hello\nworld ', durationSeconds: 30 },
        { type: 'image', value: 'https://cdn.example.com/a.png' },
        { type: 'video', value: 'http://cdn.example.com/a.mp4', durationSeconds: 86400 },
        { type: 'url', value: 'https://example.com/menu' },
        { type: 'html', value: html },
        { type: 'playlist', items: [{ type: 'text', value: 'a', durationSeconds: 5 }, { type: 'html', value: html }] },
      ];
      let version = display.contentVersion;
      for (const content of cases) {
        const d = assertOk(await api.put(`${BASE}/${display.id}/content`, content, { token: admin.token }));
        version += 1;
        assert.deepEqual(d.content, content);
        assert.deepEqual(d.activeContent, content);
        assert.equal(d.contentVersion, version);
      }
      const seen = assertOk(await api.get(`${BASE}/${display.id}`, { token: deviceToken }));
      assert.equal(seen.content.items[1].value, html);
    });

    it('drops unknown fields', async () => {
      const { display } = await createDisplay('Content extra');
      const d = assertOk(await api.put(`${BASE}/${display.id}/content`,
        { type: 'text', value: 'x', items: [1], extra: true }, { token: admin.token }));
      assert.deepEqual(d.content, { type: 'text', value: 'x' });
    });

    it('rejects invalid content and changes nothing', async () => {
      const { display } = await createDisplay('Content bad');
      const bad = [
        [{}, ['type']],
        [{ type: 'gif', value: 'x' }, ['type']],
        [{ type: 'text' }, ['value']],
        [{ type: 'text', value: '' }, ['value']],
        [{ type: 'text', value: 'x'.repeat(100001) }, ['value']],
        [{ type: 'image', value: 'ftp://x.example/a.png' }, ['value']],
        [{ type: 'url', value: 'javascript:alert(1)' }, ['value']],
        [{ type: 'text', value: 'x', durationSeconds: 0 }, ['durationSeconds']],
        [{ type: 'text', value: 'x', durationSeconds: 1.5 }, ['durationSeconds']],
        [{ type: 'playlist', items: [] }, ['items']],
        [{ type: 'playlist', items: Array.from({ length: 101 }, () => ({ type: 'text', value: 'x' })) }, ['items']],
        [{ type: 'playlist', items: [{ type: 'playlist', items: [{ type: 'text', value: 'x' }] }] }, ['items[0].type']],
        [{ type: 'playlist', items: [{ type: 'text', value: 'ok' }, { type: 'video', value: 'nope' }] }, ['items[1].value']],
      ];
      for (const [body, fields] of bad) {
        const e = assertError(await api.put(`${BASE}/${display.id}/content`, body, { token: admin.token }), 400,
          'VALIDATION_ERROR');
        assert.deepEqual(e.details.map((x) => x.field), fields, JSON.stringify(body).slice(0, 200));
      }
      const d = assertOk(await api.get(`${BASE}/${display.id}`, { token: admin.token }));
      assert.equal(d.content, null);
      assert.equal(d.contentVersion, 1);
    });

    it('counts every one of many parallel updates exactly once', async () => {
      const { display } = await createDisplay('Parallel');
      const n = 12;
      const results = await Promise.all(Array.from({ length: n }, (_, i) =>
        api.put(`${BASE}/${display.id}/content`, { type: 'text', value: `v${i}` }, { token: admin.token })));
      const versions = results.map((r) => assertOk(r).contentVersion).sort((a, b) => a - b);
      assert.deepEqual(versions, Array.from({ length: n }, (_, i) => i + 2));
      const d = assertOk(await api.get(`${BASE}/${display.id}`, { token: admin.token }));
      assert.equal(d.contentVersion, n + 1);
    });
  });

  describe('PUT /displays/:id/schedule', () => {
    const plain = { type: 'text', value: 'plain' };
    const morning = { type: 'text', value: 'scheduled' };

    it('stores a schedule and shows the winning window as activeContent', async () => {
      const { display } = await createDisplay('Scheduled');
      assertOk(await api.put(`${BASE}/${display.id}/content`, plain, { token: admin.token }));
      // Two all-day windows: the higher priority wins the overlap.
      const schedule = {
        timezone: 'Europe/Berlin',
        entries: [
          { days: ALL_DAYS, start: '00:00', end: '24:00', priority: 1, content: { type: 'text', value: 'low' } },
          { days: ALL_DAYS, start: '00:00', end: '24:00', priority: 7, content: morning },
        ],
      };
      const d = assertOk(await api.put(`${BASE}/${display.id}/schedule`, schedule, { token: admin.token }));
      assert.deepEqual(d.schedule, schedule);
      assert.deepEqual(d.content, plain);
      assert.deepEqual(d.activeContent, morning);
      assert.equal(d.contentVersion, 3);
    });

    it('falls back to the plain content outside every window', async () => {
      const { display } = await createDisplay('Scheduled elsewhere');
      assertOk(await api.put(`${BASE}/${display.id}/content`, plain, { token: admin.token }));
      // A one-minute window on a day that is not today (in UTC).
      const today = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date().getUTCDay()];
      const otherDays = ALL_DAYS.filter((x) => x !== today);
      const yesterdayIdx = (ALL_DAYS.indexOf(today) + 6) % 7;
      const notAdjacent = otherDays.filter((x) => x !== ALL_DAYS[yesterdayIdx]);
      const d = assertOk(await api.put(`${BASE}/${display.id}/schedule`, {
        timezone: 'UTC',
        entries: [{ days: notAdjacent, start: '10:00', end: '10:01', priority: 0, content: morning }],
      }, { token: admin.token }));
      assert.deepEqual(d.activeContent, plain);
      assert.deepEqual(d.schedule.entries[0].days, notAdjacent);
    });

    it('removes the schedule with an empty entries list; a null body is refused', async () => {
      const { display } = await createDisplay('Unscheduled');
      const schedule = { timezone: 'UTC', entries: [{ days: ['mon'], start: '22:00', end: '02:00', priority: 0, content: morning }] };
      assertOk(await api.put(`${BASE}/${display.id}/schedule`, schedule, { token: admin.token }));
      let d = assertOk(await api.put(`${BASE}/${display.id}/schedule`, { timezone: 'UTC', entries: [] }, { token: admin.token }));
      assert.equal(d.schedule, null);
      assertOk(await api.put(`${BASE}/${display.id}/schedule`, schedule, { token: admin.token }));
      // A JSON body that is not an object is a validation error, and changes nothing.
      assertError(await api.put(`${BASE}/${display.id}/schedule`, 'null',
        { token: admin.token, headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_ERROR');
      d = assertOk(await api.get(`${BASE}/${display.id}`, { token: admin.token }));
      assert.deepEqual(d.schedule, schedule);
      assert.equal(d.contentVersion, 4);
    });

    it('rejects invalid schedules', async () => {
      const { display } = await createDisplay('Bad schedule');
      const entry = { days: ['mon'], start: '08:00', end: '09:00', priority: 0, content: morning };
      const bad = [
        [{ timezone: 'Mars/Olympus_Mons', entries: [entry] }, ['timezone']],
        [{ entries: [entry] }, ['timezone']],
        [{ entries: [] }, ['timezone']],
        [{ timezone: 'UTC' }, ['entries']],
        [{ timezone: 'UTC', entries: [{ ...entry, days: ['monday'] }] }, ['entries[0].days']],
        [{ timezone: 'UTC', entries: [{ ...entry, days: [] }] }, ['entries[0].days']],
        [{ timezone: 'UTC', entries: [{ ...entry, start: '8:00' }] }, ['entries[0].start']],
        [{ timezone: 'UTC', entries: [{ ...entry, end: '24:01' }] }, ['entries[0].end']],
        [{ timezone: 'UTC', entries: [{ ...entry, end: '08:00' }] }, ['entries[0].end']],
        [{ timezone: 'UTC', entries: [{ ...entry, priority: 'high' }] }, ['entries[0].priority']],
        [{ timezone: 'UTC', entries: [{ ...entry, content: undefined }] }, ['entries[0].content']],
        [{ timezone: 'UTC', entries: [{ ...entry, content: { type: 'image', value: 'x' } }] }, ['entries[0].content.value']],
        [{ timezone: 'UTC', entries: [entry, 5] }, ['entries[1]']],
      ];
      for (const [body, fields] of bad) {
        const e = assertError(await api.put(`${BASE}/${display.id}/schedule`, body, { token: admin.token }), 400,
          'VALIDATION_ERROR');
        assert.deepEqual(e.details.map((x) => x.field), fields, JSON.stringify(body));
      }
      const d = assertOk(await api.get(`${BASE}/${display.id}`, { token: admin.token }));
      assert.equal(d.schedule, null);
      assert.equal(d.contentVersion, 1);
    });
  });

  describe('DELETE /displays/:id', () => {
    it('deletes the display and revokes its token', async () => {
      const { display, deviceToken } = await createDisplay('Doomed');
      const r = await api.del(`${BASE}/${display.id}`, { token: admin.token });
      assert.equal(assertOk(r), null);
      assertError(await api.get(`${BASE}/${display.id}`, { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await api.get(`${BASE}/${display.id}`, { token: deviceToken }), 401, 'UNAUTHORIZED');
      assertError(await api.del(`${BASE}/${display.id}`, { token: admin.token }), 404, 'NOT_FOUND');
      const list = assertOk(await api.get(`${BASE}?limit=100`, { token: admin.token }));
      assert.ok(!list.items.some((d) => d.id === display.id));
    });
  });
});
