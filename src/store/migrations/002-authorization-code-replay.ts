import type { Kysely } from 'kysely';

// A replayed code is flagged before its tokens are revoked, so an exchange of the same code
// racing the replay can see the flag after writing its tokens and revoke them too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('authorization_codes').addColumn('replayed_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('authorization_codes').dropColumn('replayed_at').execute();
}
