// /api/v1/media over HTTP on both databases: every allowed format in (variants of the right size,
// no EXIF or GPS left), everything else refused with nothing left on disk, 413 past the limit while
// reading, the hourly limit, who may see and delete, and /media files (nosniff, ETag, ranges).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { startServer } from './lib/harness.mjs';
import { register, loginAdmin, assertOk, assertError } from './lib/fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(here, 'fixtures/media');
const fixture = (name) => readFileSync(path.join(FIXTURES, name));
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const UPLOAD_LIMIT = 300 * 1024;

// Width and height of a WebP (VP8, VP8L or VP8X), from its header.
function webpSize(buf) {
  assert.equal(buf.subarray(0, 4).toString(), 'RIFF');
  assert.equal(buf.subarray(8, 12).toString(), 'WEBP');
  const kind = buf.subarray(12, 16).toString();
  if (kind === 'VP8 ') return { width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff };
  if (kind === 'VP8L') {
    const b = buf.readUInt32LE(21);
    return { width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
  }
  assert.equal(kind, 'VP8X');
  return { width: 1 + buf.readUIntLE(24, 3), height: 1 + buf.readUIntLE(27, 3) };
}

function form(bytes, { name = 'file', filename = 'upload.bin', type = 'application/octet-stream' } = {}) {
  const fd = new FormData();
  fd.append(name, new Blob([bytes], { type }), filename);
  return fd;
}

describe('media API', () => {
  let server;
  let api;
  let admin;
  let alice;
  let bob;
  let mediaDir;

  // Files on disk besides what the test expects: the media dir and its uploads folder.
  function filesOnDisk() {
    const top = readdirSync(mediaDir).filter((f) => f !== '.uploads');
    const pending = readdirSync(path.join(mediaDir, '.uploads'));
    return { top, pending };
  }

  async function upload(bytes, opts = {}, token = alice.token) {
    const res = await fetch(server.baseUrl + '/api/v1/media', {
      method: 'POST', body: form(bytes, opts), headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, json, text, data: json?.data, error: json?.error };
  }

  async function file(url, headers = {}) {
    const res = await fetch(server.baseUrl + url, { headers });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  before(async () => {
    mediaDir = mkdtempSync(path.join(tmpdir(), 'o4o-media-'));
    server = await startServer({
      env: { O4O_MEDIA_DIR: mediaDir, O4O_UPLOAD_LIMIT: String(UPLOAD_LIMIT), O4O_VIDEO_UPLOAD_LIMIT: String(3 * 1024 * 1024),
        O4O_UPLOADS_PER_HOUR: '40' },
    });
    api = server.api;
    [admin, alice, bob] = await Promise.all([loginAdmin(api), register(api), register(api)]);
  });
  after(async () => {
    if (server && (server.proc.exitCode !== null || server.proc.signalCode)) console.log("EXIT", server.proc.exitCode, server.proc.signalCode, server.output());
    await server?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  describe('images in', () => {
    it('a JPEG becomes full, medium and thumb WebP of the right sizes', async () => {
      const r = await upload(fixture('big.jpg'), { filename: 'big.jpg', type: 'image/jpeg' });
      const m = assertOk(r, 201);
      assert.deepEqual(Object.keys(m).sort(), ['contentType', 'height', 'id', 'kind', 'size', 'url', 'variants', 'width']);
      assert.equal(m.contentType, 'image/webp');
      assert.equal(m.kind, 'image');
      assert.equal(m.width, 2000);
      assert.equal(m.height, 1500);
      assert.match(m.url, /^\/media\/[0-9a-f]{32}\.webp$/);
      const full = await file(m.url);
      assert.equal(full.status, 200);
      assert.equal(full.body.length, m.size);
      assert.deepEqual(webpSize(full.body), { width: 2000, height: 1500 });
      assert.deepEqual(webpSize((await file(m.variants.medium)).body), { width: 1280, height: 960 });
      assert.deepEqual(webpSize((await file(m.variants.thumb)).body), { width: 320, height: 240 });
    });

    for (const [name, type, w, h] of [
      ['image.png', 'image/png', 160, 120],
      ['image.webp', 'image/webp', 160, 120],
      ['image.gif', 'image/gif', 160, 120],
      ['image.avif', 'image/avif', 160, 120],
      ['image.heic', 'image/heic', 160, 120],
    ]) {
      it(`${name} in → 201 WebP`, async () => {
        const m = assertOk(await upload(fixture(name), { filename: name, type }), 201);
        assert.equal(m.width, w);
        assert.equal(m.height, h);
        const full = await file(m.url);
        assert.equal(full.headers.get('content-type'), 'image/webp');
        assert.deepEqual(webpSize(full.body), { width: w, height: h });
        // Smaller than a variant's box: never made larger.
        assert.deepEqual(webpSize((await file(m.variants.thumb)).body), { width: w, height: h });
      });
    }

    it('the type is told by the bytes, not the name or an absent type', async () => {
      const m = assertOk(await upload(fixture('image.png'), { filename: 'photo.jpg.exe', type: 'application/octet-stream' }), 201);
      assert.equal(m.width, 160);
    });

    it('EXIF orientation is applied and every piece of metadata (GPS) is gone', async () => {
      const original = fixture('photo-exif.jpg');
      assert.ok(original.includes(Buffer.from('Exif')));
      const m = assertOk(await upload(original, { type: 'image/jpeg' }), 201);
      // 64 x 48 stored with "rotate 90°": shown 48 x 64.
      assert.equal(m.width, 48);
      assert.equal(m.height, 64);
      for (const url of [m.url, m.variants.medium, m.variants.thumb]) {
        const body = (await file(url)).body;
        assert.deepEqual(webpSize(body), { width: 48, height: 64 });
        for (const marker of ['EXIF', 'Exif', 'XMP ', 'ICCP', 'GPS']) assert.ok(!body.includes(Buffer.from(marker)), `${marker} in ${url}`);
      }
    });
  });

  describe('anything else is refused and nothing is kept', () => {
    const cases = [
      ['an SVG', 'drawing.svg', 'image/svg+xml', 415],
      ['an HTML page', 'page.html', 'text/html', 415],
      ['a PDF', 'doc.pdf', 'application/pdf', 415],
      ['a JPEG/ZIP polyglot', 'polyglot.jpg', 'image/jpeg', 415],
      ['a truncated JPEG', 'truncated.jpg', 'image/jpeg', 400],
      ['a decompression bomb (50,000 x 50,000 PNG)', 'bomb.png', 'image/png', 400],
      ['a PNG declared as a JPEG', 'image.png', 'image/jpeg', 415],
      ['a video declared as an image', 'clip.mp4', 'image/png', 415],
    ];
    for (const [what, name, type, status] of cases) {
      it(`${what} → ${status}`, async () => {
        const before = filesOnDisk();
        const r = await upload(fixture(name), { filename: name, type });
        assertError(r, status, status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_ERROR');
        assert.deepEqual(filesOnDisk(), before);
      });
    }

    it('a video that is only an MP4 header → 400', async () => {
      const before = filesOnDisk();
      const clip = fixture('clip.mp4');
      assertError(await upload(clip.subarray(0, clip.length - 100), { type: 'video/mp4' }), 400, 'VALIDATION_ERROR');
      assert.deepEqual(filesOnDisk(), before);
    });

    it('an image past O4O_UPLOAD_LIMIT is 413 while it is read, the connection closed, nothing kept', async () => {
      const before = filesOnDisk();
      const big = Buffer.alloc(UPLOAD_LIMIT + 50000, 7);
      fixture('big.jpg').copy(big);
      const r = await upload(big, { type: 'image/jpeg' });
      assertError(r, 413, 'PAYLOAD_TOO_LARGE');
      assert.deepEqual(filesOnDisk(), before);
    });

    it('a body past every limit is refused from its Content-Length, before it is read', async () => {
      const answer = await new Promise((resolve, reject) => {
        const s = net.connect(server.port, '127.0.0.1');
        let got = '';
        s.on('data', (d) => { got += d; });
        s.on('close', () => resolve(got));
        s.on('error', reject);
        s.write(`POST /api/v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice.token}\r\n` +
          'Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 999999999\r\n\r\n');
        s.write(Buffer.alloc(1000));
      });
      assert.match(answer, /^HTTP\/1\.1 413/);
      assert.match(answer, /Connection: close/i);
    });

    it('without a token → 401 before the body is read; a body that is not a form → 415 or 400', async () => {
      assertError(await upload(fixture('image.png'), {}, null), 401, 'UNAUTHORIZED');
      assertError(await api.post('/api/v1/media', { file: 'x' }, { token: alice.token }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      const noFile = new FormData();
      noFile.append('title', 'hello');
      const r = await fetch(server.baseUrl + '/api/v1/media', { method: 'POST', body: noFile, headers: { authorization: `Bearer ${alice.token}` } });
      assert.equal(r.status, 400);
      assert.equal((await r.json()).error.code, 'VALIDATION_ERROR');
      assert.deepEqual(filesOnDisk().pending, []);
    });
  });

  describe('videos', () => {
    it('MP4 and WebM are kept as sent, with variants null', async () => {
      for (const [name, type] of [['clip.mp4', 'video/mp4'], ['clip.webm', 'video/webm']]) {
        const sent = fixture(name);
        const m = assertOk(await upload(sent, { filename: name, type }), 201);
        assert.equal(m.kind, 'video');
        assert.equal(m.contentType, type);
        assert.equal(m.variants, null);
        assert.equal(m.width, null);
        assert.equal(m.size, sent.length);
        const got = await file(m.url);
        assert.equal(got.headers.get('content-type'), type);
        assert.ok(got.body.equals(sent));
      }
    });
  });

  it('a video larger than O4O_BODY_LIMIT (1 MiB) is taken: uploads have their own limit', async () => {
    const sized = (type, payload) => {
      const b = Buffer.concat([Buffer.alloc(4), Buffer.from(type), payload]);
      b.writeUInt32BE(b.length, 0);
      return b;
    };
    const clip = Buffer.concat([sized('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1')),
      sized('moov', sized('mvhd', Buffer.alloc(100))), sized('mdat', Buffer.alloc(2 * 1024 * 1024, 9))]);
    const m = assertOk(await upload(clip, { type: 'video/mp4' }), 201);
    assert.equal(m.size, clip.length);
    const r = await file(m.url, { range: `bytes=${clip.length - 4}-` });
    assert.ok(r.body.equals(clip.subarray(clip.length - 4)));
  });

  describe('/media files', () => {
    let video;
    let sent;
    before(async () => {
      sent = fixture('clip.mp4');
      video = assertOk(await upload(sent, { type: 'video/mp4' }), 201);
    });

    it('nosniff, a strong ETag, immutable caching; 304 for the same ETag', async () => {
      const r = await file(video.url);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.match(r.headers.get('cache-control'), /immutable/);
      assert.match(r.headers.get('cache-control'), /max-age=31536000/);
      const etag = r.headers.get('etag');
      assert.match(etag, /^"[^"]+"$/);  // strong: no W/
      assert.equal(r.headers.get('accept-ranges'), 'bytes');
      const again = await file(video.url, { 'if-none-match': etag });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
    });

    it('Range requests return the right bytes (206), past the end is 416', async () => {
      const a = await file(video.url, { range: 'bytes=10-99' });
      assert.equal(a.status, 206);
      assert.equal(a.headers.get('content-range'), `bytes 10-99/${sent.length}`);
      assert.ok(a.body.equals(sent.subarray(10, 100)));
      const tail = await file(video.url, { range: 'bytes=-16' });
      assert.equal(tail.status, 206);
      assert.ok(tail.body.equals(sent.subarray(sent.length - 16)));
      const open = await file(video.url, { range: `bytes=${sent.length - 5}-` });
      assert.ok(open.body.equals(sent.subarray(sent.length - 5)));
      const past = await file(video.url, { range: `bytes=${sent.length}-` });
      assert.equal(past.status, 416);
      assert.equal(past.headers.get('content-range'), `bytes */${sent.length}`);
      const stale = await file(video.url, { range: 'bytes=0-9', 'if-range': '"other"' });
      assert.equal(stale.status, 200);
      assert.equal(stale.body.length, sent.length);
    });

    it('unknown and malformed names are 404', async () => {
      for (const p of ['/media/' + 'a'.repeat(32) + '.webp', '/media/..%2Fo4o.db', '/media/.uploads', '/media/x.svg']) {
        assert.equal((await file(p)).status, 404, p);
      }
    });
  });

  describe('who may see and delete', () => {
    let m;
    before(async () => { m = assertOk(await upload(fixture('image.webp'), { type: 'image/webp' }), 201); });

    it('the uploader and an admin see it; another user gets 404', async () => {
      assert.equal(assertOk(await api.get(`/api/v1/media/${m.id}`, { token: alice.token })).url, m.url);
      assert.equal(assertOk(await api.get(`/api/v1/media/${m.id}`, { token: admin.token })).id, m.id);
      assertError(await api.get(`/api/v1/media/${m.id}`, { token: bob.token }), 404, 'NOT_FOUND');
      assertError(await api.get(`/api/v1/media/${UNKNOWN}`, { token: alice.token }), 404, 'NOT_FOUND');
      assertError(await api.get(`/api/v1/media/${m.id}`), 401, 'UNAUTHORIZED');
    });

    it('another user cannot delete; the uploader can, and its files are gone (404)', async () => {
      assertError(await api.del(`/api/v1/media/${m.id}`, { token: bob.token }), 404, 'NOT_FOUND');
      assert.equal((await file(m.url)).status, 200);
      const r = await api.del(`/api/v1/media/${m.id}`, { token: alice.token });
      assert.equal(assertOk(r), null);
      for (const url of [m.url, m.variants.medium, m.variants.thumb]) assert.equal((await file(url)).status, 404);
      assertError(await api.get(`/api/v1/media/${m.id}`, { token: alice.token }), 404, 'NOT_FOUND');
      assertError(await api.del(`/api/v1/media/${m.id}`, { token: alice.token }), 404, 'NOT_FOUND');
    });

    it('an admin can delete anyone\'s', async () => {
      const other = assertOk(await upload(fixture('image.gif'), { type: 'image/gif' }, bob.token), 201);
      assertOk(await api.del(`/api/v1/media/${other.id}`, { token: admin.token }));
      assert.equal((await file(other.url)).status, 404);
    });
  });

  describe('product and signage URLs', () => {
    it('imageUrl and image/video content accept /media/ URLs', async () => {
      const m = assertOk(await upload(fixture('image.png'), { type: 'image/png' }, admin.token), 201);
      const p = assertOk(await api.post('/api/v1/ecommerce/products',
        { name: 'Mug', price: 1000, category: 'Kitchen', stock: 1, imageUrl: m.url }, { token: admin.token }), 201);
      assert.equal(p.imageUrl, m.url);
      assertError(await api.post('/api/v1/ecommerce/products',
        { name: 'Mug', price: 1000, category: 'Kitchen', stock: 1, imageUrl: '/media/../secret' }, { token: admin.token }), 400, 'VALIDATION_ERROR');
      const { display } = assertOk(await api.post('/api/v1/signage/displays', { name: 'Hall', location: 'x' }, { token: admin.token }), 201);
      const d = assertOk(await api.put(`/api/v1/signage/displays/${display.id}/content`, { type: 'video', value: '/media/' + 'b'.repeat(32) + '.mp4' }, { token: admin.token }));
      assert.equal(d.content.value, '/media/' + 'b'.repeat(32) + '.mp4');
    });
  });

  describe('hourly limit', () => {
    it('past O4O_UPLOADS_PER_HOUR uploads a user gets 429 with Retry-After; others are not affected', async () => {
      const carol = await register(api);
      const png = fixture('image.webp');
      let last;
      for (let i = 0; i < 41; i++) {
        last = await upload(png, { type: 'image/webp' }, carol.token);
        if (last.status !== 201) break;
      }
      assertError(last, 429, 'RATE_LIMITED');
      const retry = Number(last.headers.get('retry-after'));
      assert.ok(retry > 3000 && retry <= 3601, String(retry));
      assertOk(await upload(png, { type: 'image/webp' }, bob.token), 201);
    });
  });

  it('files are readable by the server\'s user only', () => {
    const { top } = filesOnDisk();
    assert.ok(top.length > 0);
    for (const f of top) assert.equal(statSync(path.join(mediaDir, f)).mode & 0o077, 0, f);
    assert.equal(statSync(mediaDir).mode & 0o077, 0);
  });
});
