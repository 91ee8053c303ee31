import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { MIGRATIONS } from './migrations/index.js';

export interface MigrateOptions {
  /** PostgreSQL schema that holds the tables (and the migration bookkeeping). */
  schema?: string | undefined;
}

function migrator<T>(db: Kysely<T>, options: MigrateOptions): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    // Our own bookkeeping tables, so an app sharing the schema with Kysely keeps its own.
    migrationTableName: 'portcullis_migration',
    migrationLockTableName: 'portcullis_migration_lock',
    // Without it Kysely looks for its tables in every schema and can find another schema's.
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
}

/**
 * Applies every pending migration.
 * @throws Error naming the migration that failed.
 */
export async function migrateToLatest<T>(
  db: Kysely<T>,
  options: MigrateOptions = {},
): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db, options).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`,
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied. */
export async function pendingMigrations<T>(
  db: Kysely<T>,
  options: MigrateOptions = {},
): Promise<string[]> {
  const all = await migrator(db, options).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
