import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/config/load.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';
import { buildApp } from '../../src/http/app.js';
import { createClient } from '../../src/core/clients/create-client.js';
import { basic, postForm } from '../helpers/oauth-inject.js';

test('request logs never contain secrets: no id_token_hint, no client secret, no tokens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-logs-'));
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const portcullis = await openPortcullis(
    parseConfig({ databaseUrl: `sqlite:${join(dir, 'db.sqlite')}`, storageDir: dir }),
  );
  const app = await buildApp(portcullis.ctx, { logger: { level: 'info', stream } });
  try {
    const { client, secret } = await createClient(portcullis.ctx, {
      kind: 'client_credentials',
      name: 'svc',
    });
    const token = await postForm(
      app,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(client.id, secret!) },
    );
    const accessToken = token.json().access_token as string;
    await app.inject(`/oauth/logout?id_token_hint=${accessToken}&state=s`);
    await app.inject(`/oauth/authorize?client_id=x&code=leaky-code&login_hint=ada%40example.com`);
    const log = lines.join('');
    assert.ok(log.includes('/oauth/logout'), 'requests are logged');
    assert.ok(log.includes('id_token_hint=REDACTED'));
    for (const secretValue of [
      secret!,
      accessToken,
      'leaky-code',
      'ada@example.com',
      'ada%40example.com',
    ]) {
      assert.ok(!log.includes(secretValue), `the log leaks ${secretValue.slice(0, 12)}…`);
    }
  } finally {
    await app.close();
    await portcullis.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
