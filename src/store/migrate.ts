import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { MIGRATIONS } from './migrations/index.js';

function migrator(db: Kysely<any>): Migrator {
  // eslint-disable-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
}

/**
 * Applies every pending migration.
 * @throws Error naming the migration that failed.
 */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`,
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied. */
export async function pendingMigrations<T>(db: Kysely<T>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
