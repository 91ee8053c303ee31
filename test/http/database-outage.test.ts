import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';
import { buildApp } from '../../src/http/app.js';
import { createClient } from '../../src/core/clients/create-client.js';
import pg from 'pg';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createPostgresSchema, postgresAvailable, POSTGRES_URL } from '../helpers/dialects.js';

/** A TCP proxy to PostgreSQL that the test can cut, as a network partition would. */
async function cuttableProxy(target: URL, fixedPort = 0) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(fixedPort, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: Object.assign(new URL(target.href), { host: `127.0.0.1:${port}` }).href,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP proxy to PostgreSQL that the test can make stall: connections stay open, no bytes pass. */
async function stallableProxy(target: URL) {
  let stalled = false;
  const held: Buffer[][] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const toUpstream: Buffer[] = [];
    const toClient: Buffer[] = [];
    held.push(toUpstream, toClient);
    const flush = () => {
      while (toUpstream.length) upstream.write(toUpstream.shift()!);
      while (toClient.length) client.write(toClient.shift()!);
    };
    client.on('data', (chunk: Buffer) =>
      stalled ? toUpstream.push(chunk) : upstream.write(chunk),
    );
    upstream.on('data', (chunk: Buffer) => (stalled ? toClient.push(chunk) : client.write(chunk)));
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    flushers.add(flush);
  });
  const flushers = new Set<() => void>();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: Object.assign(new URL(target.href), { host: `127.0.0.1:${port}` }).href,
    stall: () => void (stalled = true),
    resume: () => {
      stalled = false;
      for (const flush of flushers) flush();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Portcullis on a fresh PostgreSQL schema reached through `databaseUrl`, its app, and a
 * client-credentials token request; everything is removed after `run`.
 */
async function withServerOn(
  databaseUrl: (schema: string) => string,
  run: (server: {
    app: FastifyInstance;
    requestToken: () => Promise<LightMyRequestResponse>;
    auth: string;
  }) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-outage-'));
  const { schema, drop } = await createPostgresSchema();
  try {
    const portcullis = await openPortcullis(
      parseConfig({ databaseUrl: databaseUrl(schema), storageDir: dir, logLevel: 'silent' }),
      { schema },
    );
    const app = await buildApp(portcullis.ctx);
    try {
      const { client, secret } = await createClient(portcullis.ctx, {
        kind: 'client_credentials',
        name: 'svc',
      });
      const auth = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
      const requestToken = () =>
        app.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
          payload: 'grant_type=client_credentials',
        });
      await run({ app, requestToken, auth });
    } finally {
      await app.close();
      await portcullis.close().catch(() => undefined);
    }
  } finally {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const available = await postgresAvailable();

describe(
  'database outage (PostgreSQL behind a proxy the test cuts)',
  { skip: available ? false : 'no PostgreSQL' },
  () => {
    test('requests fail closed with 503 temporarily_unavailable, /health says so, and service resumes when the database returns', async () => {
      const proxy = await cuttableProxy(new URL(POSTGRES_URL));
      await withServerOn(
        () => proxy.url,
        async ({ app, requestToken, auth }) => {
          const token = (await requestToken()).json().access_token as string;
          assert.ok(token);

          await proxy.cut();
          // The client is still in the one-second cache; the token record cannot be written.
          const refused = await requestToken();
          assert.equal(refused.statusCode, 503);
          assert.equal(refused.json().error, 'temporarily_unavailable');
          assert.equal(refused.headers['retry-after'], '5');
          const introspection = await app.inject({
            method: 'POST',
            url: '/oauth/introspect',
            headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
            payload: new URLSearchParams({ token }).toString(),
          });
          assert.notEqual(introspection.statusCode, 200, 'never an answer without the database');
          assert.equal((await app.inject('/health')).statusCode, 503);

          // The database comes back: the next requests work, no restart needed.
          const restored = await cuttableProxy(new URL(POSTGRES_URL), proxy.port);
          try {
            assert.equal((await requestToken()).statusCode, 200);
            assert.equal((await app.inject('/health')).statusCode, 200);
          } finally {
            await restored.cut();
          }
        },
      );
    });

    test('a database that stalls (accepts, never answers) makes /health answer 503 in seconds', async () => {
      const proxy = await stallableProxy(new URL(POSTGRES_URL));
      try {
        await withServerOn(
          () => proxy.url,
          async ({ app }) => {
            try {
              assert.equal((await app.inject('/health')).statusCode, 200);
              proxy.stall();
              const started = Date.now();
              const health = await app.inject('/health');
              assert.equal(health.statusCode, 503);
              assert.equal(health.json().database, 'unreachable');
              assert.ok(Date.now() - started < 4000, `answered in ${Date.now() - started} ms`);
              proxy.resume();
              assert.equal((await app.inject('/health')).statusCode, 200, 'and recovers');
            } finally {
              proxy.resume();
            }
          },
        );
      } finally {
        await proxy.close();
      }
    });

    test('connections killed under load (pg_terminate_backend) give 503s, never a crash, and service goes on', async () => {
      const name = `portcullis-kill-${process.pid}-${Date.now()}`;
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      try {
        await withServerOn(
          () => {
            const url = new URL(POSTGRES_URL);
            url.searchParams.set('application_name', name);
            return url.href;
          },
          async ({ requestToken }) => {
            const statuses = new Set<number>();
            for (let round = 0; round < 8; round++) {
              const burst = Array.from({ length: 16 }, () => requestToken());
              await admin.query(
                'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
                [name],
              );
              for (const response of await Promise.all(burst)) statuses.add(response.statusCode);
            }
            assert.deepEqual(
              [...statuses].filter((s) => s !== 200 && s !== 503),
              [],
              'only successes and 503s',
            );
            assert.equal((await requestToken()).statusCode, 200, 'service goes on');
          },
        );
      } finally {
        await admin.end();
      }
    });
  },
);
