import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { InsertBatcher } from '../../src/store/insert-batcher.js';
import { withStatementCache } from '../../src/store/sqlite-statement-cache.js';
import { cachedClients } from '../../src/store/repositories/cached.js';
import { localCacheBus } from '../../src/store/cache-bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Client, ClientRepository } from '../../src/core/clients/client.js';

describe('group commit (InsertBatcher)', () => {
  test('inserts made in one event-loop turn are written together, and each caller waits for the write', async () => {
    const writes: number[][] = [];
    let committed = false;
    const batcher = new InsertBatcher<number>(async (rows) => {
      writes.push(rows);
      await new Promise((r) => setTimeout(r, 5));
      committed = true;
    });
    const pending = [1, 2, 3, 4, 5].map((n) => batcher.insert(n));
    await Promise.all(pending);
    assert.equal(committed, true, 'no promise settled before the write finished');
    assert.deepEqual(writes, [[1, 2, 3, 4, 5]]);
  });

  test('batches are capped, and the rest follows in the next batch', async () => {
    const writes: number[][] = [];
    const batcher = new InsertBatcher<number>(async (rows) => void writes.push(rows), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.insert(n)));
    assert.deepEqual(writes, [[1, 2], [3, 4], [5]]);
  });

  test('a bad row fails only its own caller', async () => {
    const batcher = new InsertBatcher<number>(async (rows) => {
      if (rows.includes(13)) throw new Error('constraint failed');
    });
    const results = await Promise.allSettled([12, 13, 14].map((n) => batcher.insert(n)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
  });
});

describe('prepared statement cache', () => {
  const fakeDatabase = () => {
    const prepared: string[] = [];
    let closed = false;
    const database: SqliteDatabase = {
      prepare(sql: string) {
        prepared.push(sql);
        return {
          reader: false,
          all: () => [],
          run: () => ({ changes: 0, lastInsertRowid: 0 }),
          iterate: () => [][Symbol.iterator](),
        } as unknown as SqliteStatement;
      },
      close() {
        closed = true;
      },
    };
    return { database, prepared, isClosed: () => closed };
  };

  test('prepares each SQL text once and reuses the statement', () => {
    const fake = fakeDatabase();
    const cached = withStatementCache(fake.database);
    const first = cached.prepare('select 1');
    assert.equal(cached.prepare('select 1'), first);
    cached.prepare('select 2');
    assert.deepEqual(fake.prepared, ['select 1', 'select 2']);
    cached.close();
    assert.equal(fake.isClosed(), true);
  });

  test('evicts the least recently used statement beyond its capacity', () => {
    const fake = fakeDatabase();
    const cached = withStatementCache(fake.database, 2);
    cached.prepare('a');
    cached.prepare('b');
    cached.prepare('a'); // a is now the most recent
    cached.prepare('c'); // evicts b
    cached.prepare('a');
    cached.prepare('b');
    assert.deepEqual(fake.prepared, ['a', 'b', 'c', 'b']);
  });
});

describe('client cache', () => {
  const client = (revokedAt: number | null): Client => ({
    id: '01JCLIENT00000000000000000',
    name: 'c',
    kind: 'client_credentials',
    secretDigest: 'x',
    redirectUris: [],
    grantTypes: ['client_credentials'],
    scopes: ['*'],
    userId: null,
    skipConsent: false,
    revokedAt,
    createdAt: 0,
    updatedAt: 0,
  });

  const backing = () => {
    let stored = client(null);
    let reads = 0;
    const repo: ClientRepository = {
      insert: async () => undefined,
      findById: async () => {
        reads++;
        return stored;
      },
      list: async () => [stored],
      update: async (_id, patch) => (stored = { ...stored, ...patch }),
      delete: async () => true,
    };
    return { repo, reads: () => reads, revokeBehindTheCache: () => (stored = client(1)) };
  };

  test('a revocation through the repository is seen at once', async () => {
    const clock = new ManualClock(0);
    const inner = backing();
    const cache = cachedClients(inner.repo, clock, 1000, localCacheBus());
    assert.equal((await cache.findById('x'))?.revokedAt, null);
    await cache.update('x', { revokedAt: 5, updatedAt: 5 });
    assert.equal((await cache.findById('x'))?.revokedAt, 5);
  });

  test('a change made by another process is seen within the TTL', async () => {
    const clock = new ManualClock(0);
    const inner = backing();
    const cache = cachedClients(inner.repo, clock, 1000, localCacheBus());
    await cache.findById('x');
    await cache.findById('x');
    assert.equal(inner.reads(), 1, 'served from memory');
    inner.revokeBehindTheCache();
    clock.advance(1001);
    assert.equal((await cache.findById('x'))?.revokedAt, 1);
  });
});
