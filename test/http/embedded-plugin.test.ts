import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createClient, openPortcullis, parseConfig, portcullisPlugin } from '../../src/index.js';
import { basic, postForm } from '../helpers/oauth-inject.js';

test('the HTTP face registers inside an existing Fastify app without taking it over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-embed-'));
  const portcullis = await openPortcullis(
    parseConfig({ databaseUrl: `sqlite:${join(dir, 'db.sqlite')}`, storageDir: dir }),
  );
  const app = Fastify();
  app.get('/app/hello', async () => ({ hello: 'world' }));
  app.get('/app/boom', async () => {
    throw Object.assign(new Error('host error'), { statusCode: 418 });
  });
  await app.register(portcullisPlugin, { ctx: portcullis.ctx });
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
    assert.equal(token.statusCode, 200);
    assert.deepEqual((await app.inject('/app/hello')).json(), { hello: 'world' });
    const boom = await app.inject('/app/boom');
    assert.equal(boom.statusCode, 418, "the host's errors keep Fastify's own handling");
    assert.equal(boom.json().message, 'host error');
  } finally {
    await app.close();
    await portcullis.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
