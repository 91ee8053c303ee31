// One Fastify app with the bare route twice: unguarded (`/`) and behind requireApiKey
// (`/guarded`, scope posts:read), on Portcullis over SQLite, logger off. The key's tier allows
// far more than a run sends, so the rate-limit counter runs but never refuses.
// Usage: node --import tsx bench/servers/api-key-guard.ts [--cache on|off] [--keys N]
// (--keys: how many other keys the table holds, for the uncached lookup; default 0)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type preHandlerHookHandler,
} from 'fastify';
import { loadSqlite } from '../../src/store/sqlite-library.js';
import { parseConfig } from '../../src/config/load.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';
import { requireApiKey } from '../../src/http/api-key-auth.js';
import { announceReady, argument, exitWith, fail, freePort } from './lifecycle.js';

/**
 * The guard's own cost per request, without HTTP: the preHandler called on a stand-in request
 * and reply, minus the same loop around a guard that does nothing. It tells apart what the guard
 * costs from what a loaded 2-core machine adds around it.
 */
async function timeGuard(guard: preHandlerHookHandler, key: string): Promise<number> {
  const request = { headers: { authorization: `Bearer ${key}` } } as unknown as FastifyRequest;
  const reply = {
    code: () => reply,
    header: () => reply,
    send: () => {
      throw new Error('the guard refused the bench key');
    },
  } as unknown as FastifyReply;
  const call = (hook: preHandlerHookHandler) =>
    new Promise<void>((resolve, reject) =>
      hook.call(undefined as unknown as FastifyInstance, request, reply, (error?: Error) =>
        error ? reject(error) : resolve(),
      ),
    );
  const nothing: preHandlerHookHandler = (_request, _reply, done) => done();
  const loop = async (hook: preHandlerHookHandler, n: number) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await call(hook);
    return Number(process.hrtime.bigint() - started) / 1000 / n;
  };
  await loop(guard, 50_000);
  await loop(nothing, 50_000);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++)
    samples.push((await loop(guard, 50_000)) - (await loop(nothing, 50_000)));
  samples.sort((a, b) => a - b);
  return Number(samples[2]!.toFixed(2));
}

const cache = argument('cache', 'on') !== 'off';
const others = Number(argument('keys', '0'));
const storageDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-keys-'));
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
      cacheSize: cache ? 10_000 : 0,
    },
  });
  const portcullis = await openPortcullis(config);
  if (others > 0) {
    // Bulk rows through a second connection and one prepared statement (createApiKey one by
    // one would take minutes); the random digests are keys nobody holds.
    const SQLite = loadSqlite();
    const bulk = new SQLite(join(storageDir, 'portcullis.db'));
    const insert = bulk.prepare(
      `insert into api_keys (id, name, digest, display_prefix, environment, scopes, tier, metadata, created_at, updated_at)
       values (?, 'bulk', ?, 'sk_live_bulk', 'live', '[]', 'free', '{}', ?, ?)`,
    );
    const now = Date.now();
    bulk.transaction(() => {
      for (let i = 0; i < others; i++) {
        insert.run(
          `B${String(i).padStart(25, '0')}`,
          createHash('sha256').update(randomBytes(24)).digest('hex'),
          now,
          now,
        );
      }
    })();
    bulk.close();
  }
  const { key } = await createApiKey(portcullis.ctx, { name: 'bench', scopes: ['posts:read'] });
  const guard = requireApiKey(portcullis.ctx, { scopes: ['posts:read'] });
  const guardMicros = cache ? await timeGuard(guard, key) : undefined;
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  app.get('/guarded', { preHandler: guard }, async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port });
  const flush = setInterval(
    () => void portcullis.ctx.apiKeyUsage.flush().catch(() => undefined),
    5000,
  );
  exitWith(async () => {
    clearInterval(flush);
    await app.close();
    await portcullis.close();
    rmSync(storageDir, { recursive: true, force: true });
  });
  announceReady({
    url: `http://127.0.0.1:${port}`,
    apiKey: key,
    cache,
    keys: others + 1,
    ...(guardMicros !== undefined ? { guardMicros } : {}),
  });
} catch (error) {
  rmSync(storageDir, { recursive: true, force: true });
  fail(error);
}
