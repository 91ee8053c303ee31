import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../src/config/load.js';
import { ManualClock } from '../../src/core/clock.js';
import { openPortcullis, type Portcullis } from '../../src/runtime/open-portcullis.js';
import { createClient } from '../../src/core/clients/create-client.js';
import { signIn } from '../../src/core/users/sign-in.js';
import { createUser } from '../../src/core/users/create-user.js';
import { buildApp } from '../../src/http/app.js';
import { REDIS_URL, redisAvailable } from '../helpers/dialects.js';

const available = await redisAvailable();

describe(
  'two nodes sharing one database and one Redis',
  { skip: available ? false : `no Redis at ${REDIS_URL}` },
  () => {
    let dir: string;
    let a: Portcullis;
    let b: Portcullis;
    // A clock that never moves: anything B sees changed was pushed, not timed out.
    const clock = new ManualClock(Date.now());
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'portcullis-nodes-'));
      const config = parseConfig({
        databaseUrl: `sqlite:${join(dir, 'db.sqlite')}`,
        storageDir: dir,
        redisUrl: REDIS_URL,
        logLevel: 'silent',
      });
      a = await openPortcullis(config, { clock });
      b = await openPortcullis(config, { clock, migrate: false });
    });
    after(async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('failed sign-ins on one node count on the other', async () => {
      const email = `victim-${randomBytes(4).toString('hex')}@example.com`;
      const ip = `203.0.113.${randomBytes(1)[0]}`;
      await createUser(a.ctx, { email, password: 'correct horse battery' });
      for (const node of [a, b, a, b, a]) {
        const result = await signIn(node.ctx, { email, password: 'wrong', ip });
        assert.equal(result.ok, false);
      }
      const sixth = await signIn(b.ctx, { email, password: 'correct horse battery', ip });
      assert.deepEqual(sixth.ok === false && sixth.reason, 'throttled');
    });

    test('a client revoked on one node is refused by the other at once', async () => {
      const { client } = await createClient(a.ctx, { kind: 'client_credentials', name: 'svc' });
      assert.equal(
        (await b.ctx.repos.clients.findById(client.id))?.revokedAt,
        null,
        'B has it cached, live',
      );
      await a.ctx.repos.clients.update(client.id, {
        revokedAt: clock.now(),
        updatedAt: clock.now(),
      });
      const deadline = Date.now() + 2000;
      let seen: number | null | undefined = null;
      while (Date.now() < deadline) {
        seen = (await b.ctx.repos.clients.findById(client.id))?.revokedAt;
        if (seen !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(seen, clock.now(), 'evicted through Redis pub/sub, not by the (frozen) TTL');
    });

    test('/health reports Redis', async () => {
      const app = await buildApp(a.ctx, {
        healthChecks: { redis: async () => (await a.redis!.ping()) === 'PONG' },
      });
      try {
        const health = (await app.inject('/health')).json();
        assert.equal(health.redis, 'ok');
        assert.equal(health.status, 'ok');
      } finally {
        await app.close();
      }
    });
  },
);

describe('Redis unreachable', () => {
  test('sign-in limits fall back to per-process memory (never fail open) and health says degraded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-noredis-'));
    // A port nothing listens on.
    const config = parseConfig({
      databaseUrl: `sqlite:${join(dir, 'db.sqlite')}`,
      storageDir: dir,
      redisUrl: 'redis://127.0.0.1:1',
      logLevel: 'silent',
    });
    const node = await openPortcullis(config);
    try {
      await createUser(node.ctx, { email: 'ada@example.com', password: 'correct horse battery' });
      for (let i = 0; i < 5; i++)
        await signIn(node.ctx, { email: 'ada@example.com', password: 'wrong', ip: '198.51.100.1' });
      const blocked = await signIn(node.ctx, {
        email: 'ada@example.com',
        password: 'correct horse battery',
        ip: '198.51.100.1',
      });
      assert.deepEqual(blocked.ok === false && blocked.reason, 'throttled');
      const { client } = await createClient(node.ctx, { kind: 'client_credentials', name: 'svc' });
      assert.ok(
        await node.ctx.repos.clients.findById(client.id),
        'the database path works without Redis',
      );
      const app = await buildApp(node.ctx, {
        healthChecks: { redis: async () => (await node.redis!.ping()) === 'PONG' },
      });
      try {
        const response = await app.inject('/health');
        assert.equal(response.statusCode, 200);
        assert.equal(response.json().status, 'degraded');
        assert.equal(response.json().redis, 'unreachable');
      } finally {
        await app.close();
      }
    } finally {
      await node.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
