import type { Kysely } from 'kysely';

// `tokens:stats` reports per grant, so each access token records the grant that issued it (null
// for tokens issued before this migration). A scope deleted by `scopes:delete` keeps a
// tombstone, so the configured defaults do not bring it back at the next start.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('access_tokens').addColumn('grant_type', 'varchar(32)').execute();
  await db.schema.alterTable('scopes').addColumn('deleted_at', 'bigint').execute();
  // tokens:prune and purge walk refresh tokens, codes and sessions by expiry, in batches.
  await db.schema
    .createIndex('refresh_tokens_expires')
    .on('refresh_tokens')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('authorization_codes_expires')
    .on('authorization_codes')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('authorization_codes_expires').execute();
  await db.schema.dropIndex('refresh_tokens_expires').execute();
  await db.schema.alterTable('scopes').dropColumn('deleted_at').execute();
  await db.schema.alterTable('access_tokens').dropColumn('grant_type').execute();
}
