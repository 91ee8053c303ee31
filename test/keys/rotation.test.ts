import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import { rotateSigningKey } from '../../src/runtime/rotate-signing-key.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';

describe('signing keys', () => {
  let server: TestServer;
  let caller: { id: string; secret: string };
  before(async () => {
    server = await startTestServer({ config: { personalAccessTokenExpireDays: 1 } });
    const created = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    caller = { id: created.client.id, secret: created.secret! };
  });
  after(() => server.close());

  const issue = async () =>
    (
      await postForm(
        server.app,
        '/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: basic(caller.id, caller.secret) },
      )
    ).json().access_token as string;
  const active = async (token: string) =>
    (
      await postForm(
        server.app,
        '/oauth/introspect',
        { token },
        { authorization: basic(caller.id, caller.secret) },
      )
    ).json().active as boolean;
  const jwks = async () =>
    (await server.app.inject('/.well-known/jwks.json')).json() as {
      keys: Array<{ kid: string; alg: string; d?: string }>;
    };

  test('first start writes the key pair: private 0600, public 0644; kid is the RFC 7638 thumbprint', async () => {
    const dir = join(server.storageDir, 'oauth2');
    assert.equal(statSync(join(dir, 'oauth-private.key')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'oauth-public.key')).mode & 0o777, 0o644);
    const keys = (await jwks()).keys;
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kid, server.portcullis.ctx.keys.signing.kid);
    assert.equal(keys[0]!.d, undefined, 'no private parameters in the JWKS');
    assert.match(keys[0]!.kid, /^[A-Za-z0-9_-]{43}$/);
  });

  test('a restart reuses the key on disk', async () => {
    const again = await openPortcullis(server.config, { clock: server.clock, migrate: false });
    try {
      assert.equal(again.ctx.keys.signing.kid, server.portcullis.ctx.keys.signing.kid);
      assert.equal(again.keyCreated, false);
    } finally {
      await again.close();
    }
  });

  test('rotation: the new key signs, old tokens stay valid, the old key leaves the JWKS once its tokens expired', async () => {
    const before = await issue();
    const rotated = await rotateSigningKey(server.portcullis);
    const after = await issue();
    assert.equal(decodeProtectedHeader(before).kid, rotated.previousKid);
    assert.equal(decodeProtectedHeader(after).kid, rotated.kid);
    assert.deepEqual(
      (await jwks()).keys.map((k) => k.kid),
      [rotated.kid, rotated.previousKid],
      'the active key first, the retired one still published',
    );
    assert.equal(
      await active(before),
      true,
      'tokens signed by the old key still introspect active',
    );
    assert.equal(await active(after), true);
    server.clock.set(rotated.verifyUntil! + 1);
    assert.deepEqual(
      (await jwks()).keys.map((k) => k.kid),
      [rotated.kid],
    );
  });
});
