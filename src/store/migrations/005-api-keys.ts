import { sql, type Kysely } from 'kysely';

// API keys: only the SHA-256 digest of a key is kept (unique: the lookup key), with a visible
// prefix for display. Usage is one row per key and hour, written in batches.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('digest', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('display_prefix', 'varchar(32)', (c) => c.notNull())
    .addColumn('environment', 'varchar(8)', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('tier', 'varchar(32)', (c) => c.notNull())
    .addColumn('organization_id', 'varchar(64)')
    .addColumn('user_id', 'varchar(26)', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('rotated_at', 'bigint')
    .addColumn('grace_until', 'bigint')
    .addColumn('replaced_by', 'varchar(26)')
    .addColumn('last_used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('api_keys_user')
    .on('api_keys')
    .column('user_id')
    .where(sql.ref('user_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('api_keys_organization')
    .on('api_keys')
    .column('organization_id')
    .where(sql.ref('organization_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('api_key_usage')
    .addColumn('key_id', 'varchar(26)', (c) =>
      c.notNull().references('api_keys.id').onDelete('cascade'),
    )
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_key_usage_pk', ['key_id', 'hour'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_key_usage').execute();
  await db.schema.dropTable('api_keys').execute();
}
