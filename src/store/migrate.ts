import { Migrator, SqliteAdapter, sql, type Kysely, type MigrationResultSet } from 'kysely';
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
  const result = await inOneSqliteTransaction(db, () => migrator(db, options).migrateToLatest());
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`,
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Kysely runs SQLite migrations outside any transaction and without a lock: two processes
 * migrating one file collide, and a failure half-way leaves tables without their record, so
 * every later start fails. On SQLite the whole run is one `BEGIN IMMEDIATE` transaction: the
 * second process waits (busy_timeout) and then finds nothing to do; a failure rolls back.
 * PostgreSQL needs none of it (transactional DDL and an advisory lock, both from Kysely).
 */
async function inOneSqliteTransaction<T>(
  db: Kysely<T>,
  run: () => Promise<MigrationResultSet>,
): Promise<MigrationResultSet> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return run();
  // The SQLite dialect has one connection: every statement of the run lands in this transaction.
  await sql`begin immediate`.execute(db);
  let result: MigrationResultSet;
  try {
    result = await run();
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
  await sql.raw(result.error ? 'rollback' : 'commit').execute(db);
  return result;
}

/** Names of migrations not yet applied. */
export async function pendingMigrations<T>(
  db: Kysely<T>,
  options: MigrateOptions = {},
): Promise<string[]> {
  const all = await migrator(db, options).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
