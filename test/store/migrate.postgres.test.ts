import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { createPostgresSchema, postgresAvailable, POSTGRES_URL } from '../helpers/dialects.js';

const available = await postgresAvailable();

test(
  'PostgreSQL: migrating while other schemas of the database are dropped succeeds',
  { skip: available ? false : 'no PostgreSQL' },
  async () => {
    // Other apps (or test runs) dropping their schemas must not break our start-up.
    const others = await Promise.all(Array.from({ length: 6 }, () => createPostgresSchema()));
    for (const other of others) {
      const { db } = openDatabase(POSTGRES_URL, { schema: other.schema });
      await migrateToLatest(db, { schema: other.schema });
      await db.destroy();
    }
    const ours = await Promise.all(Array.from({ length: 4 }, () => createPostgresSchema()));
    try {
      const results = await Promise.allSettled([
        ...others.map((other) => other.drop()),
        ...ours.map(async ({ schema }) => {
          const { db } = openDatabase(POSTGRES_URL, { schema });
          try {
            return await migrateToLatest(db, { schema });
          } finally {
            await db.destroy();
          }
        }),
      ]);
      const failures = results.filter((r) => r.status === 'rejected');
      assert.deepEqual(failures, []);
      for (const result of results.slice(others.length)) {
        assert.deepEqual(
          (result as PromiseFulfilledResult<string[]>).value,
          Object.keys(MIGRATIONS),
        );
      }
    } finally {
      for (const { drop } of ours) await drop();
    }
  },
);
