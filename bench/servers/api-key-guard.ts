// One Fastify app with the bare route twice: unguarded (`/`) and behind requireApiKey
// (`/guarded`, scope posts:read), on Portcullis over SQLite, logger off. The key's tier allows
// far more than a run sends, so the rate-limit counter runs but never refuses.
// Usage: node --import tsx bench/servers/api-key-guard.ts [--cache on|off] [--keys N]
// (--keys: how many other keys the table holds, for the uncached lookup; default 0)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { loadSqlite } from '../../src/store/sqlite-library.js';
import { parseConfig } from '../../src/config/load.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';
import { requireApiKey } from '../../src/http/api-key-auth.js';
import { announceReady, argument, exitWith, fail, freePort } from './lifecycle.js';

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
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  app.get(
    '/guarded',
    { preHandler: requireApiKey(portcullis.ctx, { scopes: ['posts:read'] }) },
    async () => ({
      hello: 'world',
    }),
  );
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
  announceReady({ url: `http://127.0.0.1:${port}`, apiKey: key, cache, keys: others + 1 });
} catch (error) {
  rmSync(storageDir, { recursive: true, force: true });
  fail(error);
}
