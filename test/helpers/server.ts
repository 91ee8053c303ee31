import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { openPortcullis, type Portcullis } from '../../src/runtime/open-portcullis.js';
import { buildApp } from '../../src/http/app.js';
import { createClient, type CreateClientOptions } from '../../src/core/clients/create-client.js';
import { createUser } from '../../src/core/users/create-user.js';
import type { User } from '../../src/core/users/user.js';
import type { Mailer } from '../../src/core/accounts/mailer.js';
import { createPostgresSchema, POSTGRES_URL, type TestDialect } from './dialects.js';

export interface TestServer {
  app: FastifyInstance;
  portcullis: Portcullis;
  config: Config;
  clock: ManualClock;
  /** Base URL (= issuer) when listening on a port; the issuer otherwise. */
  url: string;
  storageDir: string;
  createClient(
    options: Partial<CreateClientOptions> & Pick<CreateClientOptions, 'kind'>,
  ): ReturnType<typeof createClient>;
  createUser(email?: string, password?: string): Promise<User & { password: string }>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let userCounter = 0;

/**
 * A real Portcullis app on its own storage (temp SQLite file, or a fresh PostgreSQL schema),
 * with a hand-moved clock. `listen: true` binds a real port so real client libraries can talk
 * to it; otherwise use `app.inject`.
 */
export async function startTestServer(
  options: {
    dialect?: TestDialect;
    listen?: boolean;
    config?: ConfigInput;
    /** The mail transport behind the queue (default: `.eml` files in storage/mail). */
    mailer?: Mailer;
  } = {},
): Promise<TestServer> {
  const storageDir = mkdtempSync(join(tmpdir(), 'portcullis-test-'));
  const port = options.listen ? await freePort() : 8000;
  let dropSchema: (() => Promise<void>) | undefined;
  let schema: string | undefined;
  let databaseUrl = `sqlite:${join(storageDir, 'portcullis.db')}`;
  if (options.dialect === 'postgres') {
    const created = await createPostgresSchema();
    schema = created.schema;
    dropSchema = created.drop;
    databaseUrl = POSTGRES_URL;
  }
  const config = parseConfig({
    port,
    databaseUrl,
    storageDir,
    logLevel: 'silent',
    signingAlgorithm: 'ES256',
    ...options.config,
  });
  const clock = new ManualClock(Date.now());
  const portcullis = await openPortcullis(config, {
    clock,
    ...(schema ? { schema } : {}),
    ...(options.mailer ? { mailer: options.mailer } : {}),
  });
  const app = await buildApp(portcullis.ctx, { logger: false });
  if (options.listen) await app.listen({ host: '127.0.0.1', port });
  else await app.ready();
  const ctx = portcullis.ctx;
  return {
    app,
    portcullis,
    config,
    clock,
    url: config.issuer,
    storageDir,
    createClient: (o) =>
      createClient(ctx, {
        name: o.name ?? `${o.kind} client`,
        redirectUris: o.kind === 'authorization_code' ? ['https://app.example.com/callback'] : [],
        ...o,
      }),
    async createUser(email, password = 'correct horse battery staple') {
      const user = await createUser(ctx, {
        email: email ?? `user${++userCounter}-${Date.now()}@example.com`,
        password,
        name: 'Ada Lovelace',
        emailVerified: true,
      });
      return { ...user, password };
    },
    async close() {
      await app.close();
      await portcullis.close();
      await dropSchema?.();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
