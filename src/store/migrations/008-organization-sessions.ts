import type { Kysely } from 'kysely';

// A refresh token family remembers the organization its tokens were switched to, so a refresh
// keeps it; invitations to an organization are mailed single-use tokens (only their digest kept)
// for an email that may not have an account yet.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('refresh_token_families')
    .addColumn('organization_id', 'varchar(26)')
    .execute();
  await db.schema
    .createTable('organization_invitations')
    .addColumn('digest', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(26)', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('role', 'varchar(64)')
    .addColumn('invited_by', 'varchar(26)', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organization_invitations').execute();
  await db.schema.alterTable('refresh_token_families').dropColumn('organization_id').execute();
}
