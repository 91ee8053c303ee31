import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load.js';
import { openPortcullis, type Portcullis } from '../../src/runtime/open-portcullis.js';
import { buildApp } from '../../src/http/app.js';
import { createClient } from '../../src/core/clients/create-client.js';
import { basic, InjectBrowser, postForm } from '../helpers/oauth-inject.js';
import { FormBrowser } from '../helpers/browser-flow.js';
import { mailedLink } from '../helpers/mailbox.js';

/** A real app whose logger (level info) writes into `lines`. */
async function withLoggedApp(
  body: (
    app: FastifyInstance,
    portcullis: Portcullis,
    lines: string[],
    dir: string,
  ) => Promise<void>,
): Promise<void> {
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
    await body(app, portcullis, lines, dir);
  } finally {
    await app.close();
    await portcullis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('request logs never contain secrets: no id_token_hint, no client secret, no tokens', async () => {
  await withLoggedApp(async (app, portcullis, lines) => {
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
  });
});

test('a 404 logs no secret from its URL, in any line (incoming request, "Route … not found")', async () => {
  await withLoggedApp(async (app, _portcullis, lines) => {
    const response = await app.inject(
      '/api/v1/auth/nowhere?token=SECRET-TOKEN&code=SECRET-CODE&code_verifier=SECRET-VERIFIER',
    );
    assert.equal(response.statusCode, 404);
    await app.inject('/nowhere?next=%2Fcallback%3Frefresh_token%3DSECRET-NESTED');
    const log = lines.join('');
    assert.ok(log.includes('not found'), 'the 404 is logged');
    assert.ok(log.includes('token=REDACTED'));
    for (const secretValue of ['SECRET-TOKEN', 'SECRET-CODE', 'SECRET-VERIFIER', 'SECRET-NESTED'])
      assert.ok(!log.includes(secretValue), `the log leaks ${secretValue}`);
  });
});

test('the mailed reset and confirmation links log no token, opened or posted', async () => {
  await withLoggedApp(async (app, portcullis, lines, dir) => {
    const email = 'logged@example.com';
    const password = 'a long enough passphrase';
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
    assert.equal((await post('/api/v1/auth/register', { email, password })).statusCode, 202);
    const verify = await mailedLink(
      { storageDir: dir, portcullis },
      email,
      '/account/verify-email',
    );
    assert.equal((await app.inject(verify)).statusCode, 200);
    assert.equal((await post('/api/v1/auth/forgot-password', { email })).statusCode, 202);
    const reset = await mailedLink(
      { storageDir: dir, portcullis },
      email,
      '/account/reset-password',
    );
    const browser = new InjectBrowser(app);
    const page = await browser.get(reset);
    const form = FormBrowser.readForm(page.body);
    const done = await browser.post(form.action, {
      ...form.fields,
      password: 'the new long passphrase',
      password_confirm: 'the new long passphrase',
    });
    assert.equal(done.statusCode, 200, done.body);
    const log = lines.join('');
    assert.ok(log.includes('/account/reset-password?token=REDACTED'), 'the link is logged');
    for (const link of [verify, reset]) {
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      assert.ok(!log.includes(token), `the log leaks ${link.split('?')[0]}'s token`);
      assert.ok(!log.includes(encodeURIComponent(token)));
    }
    assert.ok(!log.includes('the new long passphrase'));
  });
});
