import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import { adminToken, bearer, postsApi } from './helpers.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';
import { pruneApiKeys } from '../../src/core/apikeys/prune-api-keys.js';
import { revokeApiKey } from '../../src/core/apikeys/manage-api-key.js';

const limits = {
  apiKeys: {
    tiers: {
      free: { requests: 3, perSeconds: 3600 },
      pro: { requests: 5, perSeconds: 3600 },
      enterprise: { requests: null, perSeconds: 3600 },
    },
    testTiers: {
      free: { requests: 4, perSeconds: 3600 },
      pro: { requests: 50, perSeconds: 3600 },
      enterprise: { requests: null, perSeconds: 3600 },
    },
  },
};

for (const dialect of await testDialects()) {
  describe(`API key tiers, usage and storage (${dialect})`, () => {
    let server: TestServer;
    let api: FastifyInstance;
    before(async () => {
      server = await startTestServer({ dialect, config: limits });
      api = await postsApi(server);
    });
    after(async () => {
      await api.close();
      await server.close();
    });
    const ctx = () => server.portcullis.ctx;
    const call = (key: string) =>
      api.inject({ method: 'GET', url: '/v1/posts', headers: { authorization: `Bearer ${key}` } });

    test('every response carries X-RateLimit-*; the tier limit answers 429 with Retry-After', async () => {
      const { key } = await createApiKey(ctx(), { name: 'free', scopes: ['posts:read'] });
      const started = Math.floor(Date.now() / 1000);
      for (const remaining of [2, 1, 0]) {
        const response = await call(key);
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['x-ratelimit-limit'], '3');
        assert.equal(response.headers['x-ratelimit-remaining'], String(remaining));
        const reset = Number(response.headers['x-ratelimit-reset']);
        assert.ok(reset >= started + 3599 && reset <= started + 3602, `reset ${reset}`);
      }
      const limited = await call(key);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.headers['x-ratelimit-remaining'], '0');
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(retryAfter > 3500 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
      assert.equal(limited.json().error, 'rate_limit_exceeded');
      assert.equal(limited.json().retry_after, retryAfter);

      // Limits are per key: another free key is not affected.
      const other = await createApiKey(ctx(), { name: 'free 2', scopes: ['posts:read'] });
      assert.equal((await call(other.key)).statusCode, 200);
    });

    test('tiers and test keys have their own limits; an unlimited tier sends no limit headers', async () => {
      const pro = await createApiKey(ctx(), { name: 'pro', scopes: ['posts:read'], tier: 'pro' });
      assert.equal((await call(pro.key)).headers['x-ratelimit-limit'], '5');
      const test = await createApiKey(ctx(), {
        name: 't',
        scopes: ['posts:read'],
        environment: 'test',
      });
      assert.match(test.key, /^sk_test_/);
      assert.equal((await call(test.key)).headers['x-ratelimit-limit'], '4');
      const unlimited = await createApiKey(ctx(), {
        name: 'e',
        scopes: ['posts:read'],
        tier: 'enterprise',
      });
      const response = await call(unlimited.key);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['x-ratelimit-limit'], undefined);
      await assert.rejects(
        createApiKey(ctx(), { name: 'x', scopes: [], tier: 'platinum' }),
        /unknown tier "platinum": one of free, pro, enterprise/,
      );
    });

    test('usage: requests per hour and the last use, written in a batch, readable by the API', async () => {
      const { key, apiKey } = await createApiKey(ctx(), {
        name: 'used',
        scopes: ['posts:read'],
        tier: 'pro',
      });
      await call(key);
      await call(key);
      const before = await server.portcullis.db
        .selectFrom('api_key_usage')
        .selectAll()
        .where('key_id', '=', apiKey.id)
        .execute();
      assert.deepEqual(before, [], 'no write per request: counts wait for the batch');
      const usage = await server.app.inject({
        method: 'GET',
        url: `/api/v1/api-keys/${apiKey.id}/usage`,
        headers: bearer(await adminToken(server)),
      });
      assert.equal(usage.statusCode, 200, usage.body);
      const body = usage.json();
      assert.equal(body.total, 2);
      const now = server.clock.now();
      assert.deepEqual(body.hourly, [
        { hour: new Date(now - (now % 3_600_000)).toISOString(), requests: 2 },
      ]);
      assert.equal(body.last_used_at, new Date(now).toISOString());
      await call(key);
      server.clock.advance(3_600_000);
      await call(key);
      await ctx().apiKeyUsage.flush();
      const hours = await ctx().repos.apiKeyUsage.hourly(apiKey.id, 0);
      assert.deepEqual(
        hours.map((h) => h.requests),
        [3, 1],
        'two hour buckets, the first added to',
      );
    });

    test('the key itself is never stored: only its digest', async () => {
      const { key, apiKey } = await createApiKey(ctx(), { name: 'secret', scopes: ['*'] });
      const row = await server.portcullis.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', apiKey.id)
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(key.slice(8)), 'no column holds the key');
      assert.match(row.digest, /^[0-9a-f]{64}$/);
      if (dialect === 'sqlite') {
        await sql`pragma wal_checkpoint(TRUNCATE)`.execute(server.portcullis.db);
        const dir = server.portcullis.databaseLocation.replace(/[^/]+$/, '');
        const files = readdirSync(dir).filter((f) => /^portcullis\.db(-wal)?$/.test(f));
        const bytes = Buffer.concat(files.map((file) => readFileSync(join(dir, file))));
        assert.equal(bytes.includes(key.slice(8)), false, 'the database files hold no key');
        assert.equal(bytes.includes(row.digest), true, 'the scan reads the stored rows');
      }
    });

    test('prune deletes keys dead for longer than pruneAfterDays, with their usage; live keys stay', async () => {
      const live = await createApiKey(ctx(), { name: 'live', scopes: [] });
      const revoked = await createApiKey(ctx(), { name: 'revoked', scopes: [] });
      const expiring = await createApiKey(ctx(), {
        name: 'expiring',
        scopes: ['posts:read'],
        tier: 'pro',
        expiresAt: server.clock.now() + 60_000,
      });
      await call(expiring.key);
      await ctx().apiKeyUsage.flush();
      await revokeApiKey(ctx(), revoked.apiKey.id);
      server.clock.advance(6 * 86_400_000);
      assert.equal(await pruneApiKeys(ctx()), 0, 'dead for six days: kept, so they still say why');
      assert.equal((await call(expiring.key)).json().error, 'api_key_expired');
      server.clock.advance(2 * 86_400_000);
      assert.ok((await pruneApiKeys(ctx())) >= 2);
      assert.equal(await ctx().repos.apiKeys.findById(revoked.apiKey.id), undefined);
      assert.equal(await ctx().repos.apiKeys.findById(expiring.apiKey.id), undefined);
      assert.deepEqual(await ctx().repos.apiKeyUsage.hourly(expiring.apiKey.id, 0), []);
      assert.ok(await ctx().repos.apiKeys.findById(live.apiKey.id));
    });
  });
}
