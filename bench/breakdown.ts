// Where a Portcullis token request spends its time: each step of `POST /oauth/token`
// (client_credentials, client_secret_basic) timed on its own, in-process and one at a time, on
// a fresh temp SQLite database like the benchmark server's. Complements `npm run bench` (which
// measures throughput under concurrent load) and `BENCH_CPU_PROF` profiles.
// Usage: node --import tsx bench/breakdown.ts [ES256|RS256|EdDSA]   (BENCH_ITERATIONS, default 3000)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import { SignJWT } from 'jose';
import { parseConfig } from '../src/config/load.js';
import { openPortcullis } from '../src/runtime/open-portcullis.js';
import { buildApp } from '../src/http/app.js';
import { createClient } from '../src/core/clients/create-client.js';
import { authenticateClient } from '../src/core/clients/authenticate-client.js';
import { handleTokenRequest } from '../src/core/oauth/token-endpoint.js';
import { resolveRequestedScopes } from '../src/core/scopes/resolve-scopes.js';
import { issueAccessToken } from '../src/core/tokens/issue-access-token.js';
import { newId } from '../src/core/ids.js';

const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
type Algorithm = (typeof ALGORITHMS)[number];
const alg = (process.argv[2] ?? 'ES256') as Algorithm;
if (!ALGORITHMS.includes(alg)) throw new Error(`algorithm must be one of ${ALGORITHMS.join(', ')}`);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 3000);

interface Timing {
  step: string;
  medianUs: number;
  meanUs: number;
  p99Us: number;
  /** Process CPU (user + system, all threads: libuv pool, GC) per iteration. */
  cpuUs: number;
  systemUs: number;
}

async function time(step: string, fn: () => Promise<unknown> | unknown): Promise<Timing> {
  for (let i = 0; i < Math.min(500, ITERATIONS); i++) await fn(); // warm-up (JIT)
  const samples = new Float64Array(ITERATIONS);
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    step,
    medianUs: sorted[Math.floor(sorted.length / 2)]!,
    meanUs: mean,
    p99Us: sorted[Math.floor(sorted.length * 0.99)]!,
    cpuUs: (cpu.user + cpu.system) / ITERATIONS,
    systemUs: cpu.system / ITERATIONS,
  };
}

const storageDir = mkdtempSync(join(tmpdir(), 'portcullis-breakdown-'));
try {
  const config = parseConfig({
    host: '127.0.0.1',
    port: 8000,
    databaseUrl: `sqlite:${join(storageDir, 'portcullis.db')}`,
    storageDir,
    logLevel: 'silent',
    signingAlgorithm: alg,
  });
  const portcullis = await openPortcullis(config);
  const { ctx } = portcullis;
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  const { client, secret } = await createClient(ctx, { kind: 'client_credentials', name: 'bench' });
  if (secret === null) throw new Error('no secret');
  const credentials = {
    clientId: client.id,
    clientSecret: secret,
    method: 'client_secret_basic' as const,
  };
  const params = { grant_type: 'client_credentials', scope: 'users:read' };
  const authorization = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
  const { kid, privateKey } = ctx.keys.signing;

  // The same SQL through better-sqlite3 directly, with statements prepared once, to separate
  // SQLite's own cost from the query builder's.
  const raw = new SQLite(portcullis.databaseLocation);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const rawFindClient = raw.prepare('select * from "clients" where "id" = ?');
  const rawListScopes = raw.prepare('select * from "scopes" order by "name"');
  const rawInsert = raw.prepare(
    'insert into "access_tokens" ("jti", "kind", "client_id", "user_id", "name", "scopes", ' +
      '"authorization_code_id", "refresh_family_id", "expires_at", "revoked_at", "created_at") ' +
      'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  // Baseline for the HTTP layer: a bare Fastify app with the same form parser and a trivial route.
  const bare = Fastify({ logger: false });
  await bare.register(fastifyFormbody);
  bare.post('/token', async () => ({ access_token: 'x', token_type: 'Bearer', expires_in: 3600 }));
  await bare.ready();

  const timings: Timing[] = [];
  const run = async (step: string, fn: () => Promise<unknown> | unknown) => {
    const t = await time(step, fn);
    timings.push(t);
    process.stdout.write('.');
  };
  await run('HTTP stack: app.inject POST /oauth/token (whole request, no socket)', () =>
    app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=users%3Aread',
    }),
  );
  await run('  baseline: bare Fastify + formbody, app.inject POST (trivial handler)', () =>
    bare.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=users%3Aread',
    }),
  );
  await run('core: authenticateClient + handleTokenRequest', async () =>
    handleTokenRequest(ctx, {
      client: await authenticateClient(ctx, credentials),
      params,
      ip: '127.0.0.1',
    }),
  );
  await run('  authenticateClient (findById + SHA-256 + compare)', () =>
    authenticateClient(ctx, credentials),
  );
  await run('    repos.clients.findById (Kysely)', () => ctx.repos.clients.findById(client.id));
  await run('    same SELECT, better-sqlite3 prepared once', () => rawFindClient.get(client.id));
  await run('  resolveRequestedScopes (scopes.list)', () =>
    resolveRequestedScopes(ctx, client, ['users:read']),
  );
  await run('    repos.scopes.list (Kysely)', () => ctx.repos.scopes.list());
  await run('    same SELECT, better-sqlite3 prepared once', () => rawListScopes.all());
  await run('  issueAccessToken (sign + insert)', () =>
    issueAccessToken(ctx, {
      clientId: client.id,
      userId: null,
      scopes: ['users:read'],
      grantType: 'client_credentials',
      lifetimeSeconds: 3600,
    }),
  );
  await run(`    SignJWT ${alg} (jose, WebCrypto)`, () =>
    new SignJWT({ client_id: client.id, scope: 'users:read' })
      .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
      .setIssuer(config.issuer)
      .setSubject(client.id)
      .setAudience(config.issuer)
      .setJti(newId())
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey),
  );
  await run('    repos.accessTokens.insert (Kysely)', () =>
    ctx.repos.accessTokens.insert({
      jti: newId(),
      kind: 'access',
      clientId: client.id,
      userId: null,
      name: null,
      scopes: ['users:read'],
      grantType: 'client_credentials',
      authorizationCodeId: null,
      refreshFamilyId: null,
      expiresAt: Date.now() + 3_600_000,
      revokedAt: null,
      createdAt: Date.now(),
    }),
  );
  await run('    same INSERT, better-sqlite3 prepared once', () =>
    rawInsert.run(
      newId(),
      'access',
      client.id,
      null,
      null,
      '["users:read"]',
      null,
      null,
      Date.now() + 3_600_000,
      null,
      Date.now(),
    ),
  );
  process.stdout.write('\n\n');

  process.stdout.write(
    `Portcullis token request, step by step (${alg}, ${ITERATIONS} sequential iterations each, µs)\n`,
  );
  const width = Math.max(...timings.map((t) => t.step.length));
  const cells = ['median', 'mean', 'p99', 'CPU/op', 'sys/op'];
  process.stdout.write(`${'step'.padEnd(width)}  ${cells.map((c) => c.padStart(8)).join('  ')}\n`);
  for (const t of timings) {
    const values = [t.medianUs, t.meanUs, t.p99Us, t.cpuUs, t.systemUs];
    process.stdout.write(
      `${t.step.padEnd(width)}  ${values.map((v) => v.toFixed(1).padStart(8)).join('  ')}\n`,
    );
  }
  process.stdout.write(
    'median/mean/p99: wall time of one call; CPU/op, sys/op: process CPU (all threads) per call.\n',
  );
  raw.close();
  await bare.close();
  await app.close();
  await portcullis.close();
} finally {
  rmSync(storageDir, { recursive: true, force: true });
}
