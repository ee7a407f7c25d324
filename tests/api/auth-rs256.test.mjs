// The RS256 option: access tokens signed with a private key, verifiable by anyone holding the
// public key; an HS256 token keyed with the public key (algorithm confusion) is refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, createHmac, createVerify } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './lib/harness.mjs';
import { register, assertOk, assertError } from './lib/fixtures.mjs';

describe('auth with RS256 keys', () => {
  let server;
  let api;
  let dir;
  let publicPem;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'o4o-rs256-'));
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicPem = publicKey.export({ type: 'spki', format: 'pem' });
    writeFileSync(path.join(dir, 'private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(path.join(dir, 'public.pem'), publicPem);
    server = await startServer({
      admin: false,
      env: {
        O4O_JWT_ALGORITHM: 'RS256',
        O4O_JWT_PRIVATE_KEY_FILE: path.join(dir, 'private.pem'),
        O4O_JWT_PUBLIC_KEY_FILE: path.join(dir, 'public.pem'),
      },
    });
    api = server.api;
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs access tokens with RS256 that the public key verifies', async () => {
    const u = await register(api);
    const [h, p, s] = u.accessToken.split('.');
    assert.equal(JSON.parse(Buffer.from(h, 'base64url')).alg, 'RS256');
    const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicPem, Buffer.from(s, 'base64url'));
    assert.ok(ok, 'a separately deployed service can verify with the public key alone');
    assert.deepEqual(assertOk(await api.get('/api/v1/auth/me', { token: u.accessToken })), u.user);

    const payload = JSON.parse(Buffer.from(p, 'base64url'));
    const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const sig = createHmac('sha256', publicPem).update(`${head}.${body}`).digest('base64url');
    assertError(await api.get('/api/v1/auth/me', { token: `${head}.${body}.${sig}` }), 401, 'UNAUTHORIZED');
  });
});
