import type { Kysely } from 'kysely';

// The authorization request a sign-in was made for: its prompt=login and max_age are satisfied
// by that sign-in through the consent step, and no other request's are.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_sessions').addColumn('request_digest', 'varchar(64)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_sessions').dropColumn('request_digest').execute();
}
