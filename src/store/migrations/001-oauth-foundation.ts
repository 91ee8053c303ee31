import { sql, type Kysely } from 'kysely';

// Times are epoch milliseconds: bigint on PostgreSQL, INTEGER (64-bit) on SQLite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)')
    .addColumn('password_hash', 'text')
    .addColumn('email_verified_at', 'bigint')
    .addColumn('disabled_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('clients')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('secret_digest', 'varchar(64)')
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('user_id', 'varchar(26)', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('skip_consent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scopes')
    .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('digest', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('client_id', 'varchar(26)', (c) =>
      c.notNull().references('clients.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'varchar(26)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'varchar(128)')
    .addColumn('code_challenge_method', 'varchar(8)')
    .addColumn('nonce', 'text')
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('refresh_token_families')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(26)', (c) =>
      c.notNull().references('clients.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'varchar(26)', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('authorization_code_id', 'varchar(26)')
    .addColumn('auth_time', 'bigint')
    .addColumn('nonce', 'text')
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('refresh_token_families_code')
    .on('refresh_token_families')
    .column('authorization_code_id')
    .execute();
  await db.schema
    .createIndex('refresh_token_families_client')
    .on('refresh_token_families')
    .column('client_id')
    .execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('digest', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('family_id', 'varchar(26)', (c) =>
      c.notNull().references('refresh_token_families.id').onDelete('cascade'),
    )
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('refresh_tokens_family')
    .on('refresh_tokens')
    .column('family_id')
    .execute();

  await db.schema
    .createTable('access_tokens')
    .addColumn('jti', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('client_id', 'varchar(26)', (c) =>
      c.notNull().references('clients.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'varchar(26)', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('authorization_code_id', 'varchar(26)')
    .addColumn('refresh_family_id', 'varchar(26)')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_tokens_client')
    .on('access_tokens')
    .column('client_id')
    .execute();
  await db.schema
    .createIndex('access_tokens_user_kind')
    .on('access_tokens')
    .columns(['user_id', 'kind'])
    // Partial indexes: client-credentials tokens (most of the volume) have no user, code or
    // family, so their inserts skip these indexes entirely.
    .where(sql.ref('user_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('access_tokens_code')
    .on('access_tokens')
    .column('authorization_code_id')
    .where(sql.ref('authorization_code_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('access_tokens_family')
    .on('access_tokens')
    .column('refresh_family_id')
    .where(sql.ref('refresh_family_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('access_tokens_expires')
    .on('access_tokens')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('alg', 'varchar(16)', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addColumn('verify_until', 'bigint')
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('user_id', 'varchar(26)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('client_id', 'varchar(26)', (c) =>
      c.notNull().references('clients.id').onDelete('cascade'),
    )
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('consents_pk', ['user_id', 'client_id'])
    .execute();

  await db.schema
    .createTable('login_sessions')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('digest', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'varchar(26)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'login_sessions',
    'consents',
    'signing_keys',
    'access_tokens',
    'refresh_tokens',
    'refresh_token_families',
    'authorization_codes',
    'scopes',
    'clients',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
