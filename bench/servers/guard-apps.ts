// The resource-server guards on one framework: a bare route (`/`) and the same route behind
// `requireScopes('posts:read')` twice (`/jwt`, `/apikey`: the very same guard and middleware,
// only the credential differs), logger off. One guard for all: `createGuard({ issuer, jwks,
// apiKeys: ctx })`, with a local JWKS object (verification exactly as after a remote JWKS's
// first fetch) and API keys verified in-process on Portcullis over SQLite, key cache on, a tier
// far above what a run sends (the rate-limit counter runs but never refuses).
// Before listening, it times `guard.authenticate` alone per credential (announced as guardMicros).
// Access tokens are minted here (RFC 9068 shape: typ at+jwt, iss, aud, sub, client_id, scope,
// jti, iat, exp), one per algorithm, each with its own key pair and kid.
// Usage: node --import tsx bench/servers/guard-apps.ts --framework fastify|express|hono
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { parseConfig } from '../../src/config/load.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';
import { createGuard, type Guard } from '../../src/guard/create-guard.js';
import type { GuardEnv } from '../../src/guard/hono.js';
import { announceReady, argument, exitWith, fail, freePort } from './lifecycle.js';

const ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;
type Algorithm = (typeof ALGORITHMS)[number];
const SCOPE = 'posts:read';

/** One key pair per algorithm; the token signed with it; the public JWK for the guard. */
async function mintTokens(
  issuer: string,
): Promise<{ tokens: Record<Algorithm, string>; keys: JWK[] }> {
  const tokens = {} as Record<Algorithm, string>;
  const keys: JWK[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (const alg of ALGORITHMS) {
    const { publicKey, privateKey } = await generateKeyPair(
      alg,
      alg === 'EdDSA' ? { crv: 'Ed25519' } : {},
    );
    const kid = `bench-${alg.toLowerCase()}`;
    keys.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
    tokens[alg] = await new SignJWT({ client_id: 'bench-client', scope: SCOPE })
      .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(issuer)
      .setSubject('bench-client')
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  }
  return { tokens, keys };
}

const hello = { hello: 'world' };

/**
 * `guard.authenticate` per credential in this process, without HTTP or a framework: µs per call
 * (median of 3 samples after a warm-up). What the guard itself costs, apart from the machine's
 * load and the framework around it. Runs before the server listens, so it never overlaps a load.
 */
async function timeAuthenticate(guard: Guard, credential: string): Promise<number> {
  const headers = { authorization: `Bearer ${credential}` };
  const loop = async (n: number) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await guard.authenticate(headers);
    return Number(process.hrtime.bigint() - started) / 1000 / n;
  };
  await loop(1000);
  const samples = [await loop(2000), await loop(2000), await loop(2000)].sort((a, b) => a - b);
  return Number(samples[1]!.toFixed(1));
}

/** Starts `framework`'s app on 127.0.0.1:`port`; resolves to its close function. */
async function startApp(
  framework: string,
  guard: Guard,
  port: number,
): Promise<() => Promise<void>> {
  switch (framework) {
    case 'fastify': {
      const { default: Fastify } = await import('fastify');
      const { portcullisGuard, requireScopes } = await import('../../src/guard/fastify.js');
      const app = Fastify({ logger: false });
      await app.register(portcullisGuard, { guard });
      const preHandler = requireScopes(SCOPE);
      app.get('/', async () => hello);
      app.get('/jwt', { preHandler }, async () => hello);
      app.get('/apikey', { preHandler }, async () => hello);
      await app.listen({ host: '127.0.0.1', port });
      return () => app.close();
    }
    case 'express': {
      const { default: express } = await import('express');
      const { expressGuard } = await import('../../src/guard/express.js');
      const app = express();
      const guarded = expressGuard(guard).requireScopes(SCOPE);
      app.get('/', (_req, res) => void res.json(hello));
      app.get('/jwt', guarded, (_req, res) => void res.json(hello));
      app.get('/apikey', guarded, (_req, res) => void res.json(hello));
      const server = await new Promise<Server>((resolve, reject) => {
        const listening = app.listen(port, '127.0.0.1', (error?: Error) =>
          error ? reject(error) : resolve(listening),
        );
      });
      return () => closeServer(server);
    }
    case 'hono': {
      const { Hono } = await import('hono');
      const { serve } = await import('@hono/node-server');
      const { honoGuard } = await import('../../src/guard/hono.js');
      const app = new Hono<GuardEnv>();
      const guarded = honoGuard(guard).requireScopes(SCOPE);
      app.get('/', (c) => c.json(hello));
      app.get('/jwt', guarded, (c) => c.json(hello));
      app.get('/apikey', guarded, (c) => c.json(hello));
      const server = await new Promise<Server>((resolve) => {
        const listening = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () =>
          resolve(listening as Server),
        );
      });
      return () => closeServer(server);
    }
    default:
      throw new Error(`--framework must be fastify, express or hono (got ${framework})`);
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
}

const framework = argument('framework', 'fastify');
const storageDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-guard-'));
try {
  const port = await freePort();
  const config = parseConfig({
    host: '127.0.0.1',
    port,
    databaseUrl: `sqlite:${join(storageDir, 'portcullis.db')}`,
    storageDir,
    logLevel: 'silent',
    apiKeys: {
      tiers: { free: { requests: 1_000_000_000, perSeconds: 3600 } },
      testTiers: { free: { requests: 1_000_000_000, perSeconds: 3600 } },
      cacheSize: 10_000,
    },
  });
  const portcullis = await openPortcullis(config);
  const { key } = await createApiKey(portcullis.ctx, { name: 'bench', scopes: [SCOPE] });
  const { tokens, keys } = await mintTokens(config.issuer);
  const guard = createGuard({ issuer: config.issuer, jwks: { keys }, apiKeys: portcullis.ctx });
  const guardMicros: Record<string, number> = {};
  for (const alg of ALGORITHMS) guardMicros[alg] = await timeAuthenticate(guard, tokens[alg]);
  guardMicros.apiKey = await timeAuthenticate(guard, key);
  // A token's first request: its signature verified (the guard remembers verified tokens).
  const firstSight = createGuard({
    issuer: config.issuer,
    jwks: { keys },
    verifiedTokenCacheSize: 0,
  });
  const guardMicrosUncached: Record<string, number> = {};
  for (const alg of ALGORITHMS)
    guardMicrosUncached[alg] = await timeAuthenticate(firstSight, tokens[alg]);
  const closeApp = await startApp(framework, guard, port);
  const flush = setInterval(
    () => void portcullis.ctx.apiKeyUsage.flush().catch(() => undefined),
    5000,
  );
  exitWith(async () => {
    clearInterval(flush);
    await closeApp();
    await portcullis.close();
    rmSync(storageDir, { recursive: true, force: true });
  });
  announceReady({
    url: `http://127.0.0.1:${port}`,
    framework,
    tokens,
    apiKey: key,
    guardMicros,
    guardMicrosUncached,
  });
} catch (error) {
  rmSync(storageDir, { recursive: true, force: true });
  fail(error);
}
