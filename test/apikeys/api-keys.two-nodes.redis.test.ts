import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { ManualClock } from '../../src/core/clock.js';
import { openPortcullis, type Portcullis } from '../../src/runtime/open-portcullis.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';
import { revokeApiKey, updateApiKey } from '../../src/core/apikeys/manage-api-key.js';
import { verifyApiKey } from '../../src/core/apikeys/verify-api-key.js';
import { REDIS_URL, redisAvailable } from '../helpers/dialects.js';
import { redisReady } from '../../src/store/redis.js';

const available = await redisAvailable();

/** Polls for up to a second: a Redis message takes a moment to arrive. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

describe(
  'API keys on two nodes sharing one database and one Redis',
  { skip: available ? false : `no Redis at ${REDIS_URL}` },
  () => {
    let dir: string;
    let a: Portcullis;
    let b: Portcullis;
    // A clock that never moves: a cached key B stops trusting was evicted by a message.
    const clock = new ManualClock(Date.now());
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'portcullis-keys-nodes-'));
      const config = parseConfig({
        databaseUrl: `sqlite:${join(dir, 'db.sqlite')}`,
        storageDir: dir,
        redisUrl: REDIS_URL,
        logLevel: 'silent',
        apiKeys: {
          tiers: { free: { requests: 4, perSeconds: 3600 } },
          testTiers: { free: { requests: 4, perSeconds: 3600 } },
        },
      });
      a = await openPortcullis(config, { clock });
      b = await openPortcullis(config, { clock, migrate: false });
      // Until connected, each node counts in memory (the fallback) and hears no messages.
      assert.ok((await redisReady(a.redis!)) && (await redisReady(b.redis!)));
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    after(async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the rate limit is one budget across both nodes', async () => {
      const { apiKey } = await createApiKey(a.ctx, { name: 'shared', scopes: [] });
      const decisions = [];
      for (const node of [a, b, a, b, a, b]) {
        decisions.push(await node.ctx.apiKeyLimiter.consume(apiKey, clock.now()));
      }
      assert.deepEqual(
        decisions.map((d) => [d.allowed, d.remaining]),
        [
          [true, 3],
          [true, 2],
          [true, 1],
          [true, 0],
          [false, 0],
          [false, 0],
        ],
      );
    });

    test('a key revoked or changed on one node is refused or changed on the other at once', async () => {
      const { key, apiKey } = await createApiKey(a.ctx, { name: 'cached', scopes: ['posts:read'] });
      const onB = await verifyApiKey(b.ctx, key);
      assert.equal(onB.valid, true, 'B has it cached now');
      await updateApiKey(a.ctx, apiKey.id, { scopes: ['posts:write'] });
      assert.ok(
        await eventually(async () => {
          const seen = await verifyApiKey(b.ctx, key);
          return seen.valid && seen.apiKey.scopes[0] === 'posts:write';
        }),
        'the new scopes reach B',
      );
      await revokeApiKey(a.ctx, apiKey.id);
      assert.ok(
        await eventually(async () => {
          const seen = await verifyApiKey(b.ctx, key);
          return !seen.valid && seen.code === 'api_key_revoked';
        }),
        'B refuses the revoked key without waiting for its cache to expire',
      );
    });
  },
);
