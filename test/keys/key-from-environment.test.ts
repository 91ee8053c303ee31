import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { loadConfig } from '../../src/config/load.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';

test('PORTCULLIS_PRIVATE_KEY (with \\n escapes, as env files hold it) signs instead of key files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-envkey-'));
  try {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const config = loadConfig({
      cwd: dir,
      env: {
        PORTCULLIS_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
        PORTCULLIS_STORAGE_DIR: join(dir, 'storage'),
      },
    });
    const portcullis = await openPortcullis(config);
    try {
      const expectedKid = await calculateJwkThumbprint(await exportJWK(publicKey));
      assert.equal(portcullis.ctx.keys.signing.kid, expectedKid);
      assert.equal(portcullis.ctx.keys.signing.alg, 'ES256');
      assert.equal(portcullis.keySource, 'environment');
      assert.equal(
        existsSync(join(dir, 'storage', 'oauth2', 'oauth-private.key')),
        false,
        'no key file written',
      );
      assert.deepEqual(
        (await portcullis.ctx.keys.jwks()).keys.map((k) => k.kid),
        [expectedKid],
      );
    } finally {
      await portcullis.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a PEM that is not a usable private key stops start-up with a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-envkey-'));
  try {
    const config = loadConfig({
      cwd: dir,
      env: {
        PORTCULLIS_PRIVATE_KEY: 'not a key',
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      },
    });
    await assert.rejects(
      openPortcullis(config),
      /PORTCULLIS_PRIVATE_KEY is not a usable signing key/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
