import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';
import { buildApp } from '../../src/http/app.js';
import { runCli } from '../helpers/cli.js';

function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a CLI command run from another folder neither creates a key nor retires the server’s', async () => {
  const server = tempDir('portcullis-server-');
  const elsewhere = tempDir('portcullis-elsewhere-');
  const databaseUrl = `sqlite:${join(server.dir, 'db.sqlite')}`;
  const portcullis = await openPortcullis(parseConfig({ databaseUrl, storageDir: server.dir }));
  const app = await buildApp(portcullis.ctx, { docs: false });
  try {
    const kid = portcullis.ctx.keys.signing.kid;
    const created = runCli(['create', '--type=client_credentials', '--name=svc'], {
      cwd: elsewhere.dir,
      env: { DATABASE_URL: databaseUrl },
    });
    assert.equal(created.code, 0, created.stderr);
    assert.equal(existsSync(join(elsewhere.dir, 'storage')), false, 'no key files made');
    const jwks = (await app.inject('/.well-known/jwks.json')).json() as { keys: { kid: string }[] };
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      [kid],
    );
    assert.equal((await app.inject('/health')).statusCode, 200);
  } finally {
    await app.close();
    await portcullis.close();
    server.remove();
    elsewhere.remove();
  }
});

test('processes starting together on a fresh install share one new key', async () => {
  const { dir, remove } = tempDir('portcullis-race-');
  const config = parseConfig({ databaseUrl: `sqlite:${join(dir, 'db.sqlite')}`, storageDir: dir });
  // The first one migrates; the others start together, each finding no key yet.
  const first = await openPortcullis(parseConfig({ ...config, storageDir: join(dir, 'other') }));
  await first.close();
  const starts = await Promise.allSettled(
    Array.from({ length: 5 }, () => openPortcullis(config, { migrate: false })),
  );
  try {
    const failures = starts.filter((s) => s.status === 'rejected');
    assert.deepEqual(failures, [], 'every process started');
    const opened = starts.map(
      (s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof openPortcullis>>>).value,
    );
    const kids = new Set(opened.map((p) => p.ctx.keys.signing.kid));
    assert.equal(kids.size, 1, 'one key for all');
    for (const p of opened) assert.equal(await p.ctx.keys.signingKeyActive(), true);
  } finally {
    for (const s of starts) if (s.status === 'fulfilled') await s.value.close();
    remove();
  }
});

test('a node whose key another node retired reports itself unhealthy', async () => {
  const { dir, remove } = tempDir('portcullis-retired-');
  const databaseUrl = `sqlite:${join(dir, 'db.sqlite')}`;
  const nodeA = await openPortcullis(parseConfig({ databaseUrl, storageDir: join(dir, 'a') }));
  const app = await buildApp(nodeA.ctx, { docs: false });
  try {
    assert.equal((await app.inject('/health')).statusCode, 200);
    // A second node started with a key of its own (another storage folder): it retires A's.
    const nodeB = await openPortcullis(parseConfig({ databaseUrl, storageDir: join(dir, 'b') }));
    await nodeB.close();
    const health = await app.inject('/health');
    assert.equal(health.statusCode, 503);
    assert.match(health.json().keys, /retired/);
  } finally {
    await app.close();
    await nodeA.close();
    remove();
  }
});

test('an RSA key under 2048 bits stops start-up instead of failing every token', async () => {
  const { dir, remove } = tempDir('portcullis-weak-');
  try {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const config = loadConfig({
      cwd: dir,
      env: { PORTCULLIS_PRIVATE_KEY: weak, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` },
    });
    await assert.rejects(openPortcullis(config), /at least 2048 bits/);
  } finally {
    remove();
  }
});
