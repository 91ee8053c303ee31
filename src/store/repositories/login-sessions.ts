import type { Kysely } from 'kysely';
import type { LoginSessionRepository } from '../../core/sessions/login-session.js';
import type { Database } from '../schema.js';

export function loginSessionRepository(db: Kysely<Database>): LoginSessionRepository {
  return {
    async insert(session) {
      await db
        .insertInto('login_sessions')
        .values({
          id: session.id,
          digest: session.digest,
          user_id: session.userId,
          auth_time: session.authTime,
          request_digest: session.requestDigest,
          expires_at: session.expiresAt,
          created_at: session.createdAt,
        })
        .execute();
    },
    async findByDigest(digest) {
      const row = await db
        .selectFrom('login_sessions')
        .selectAll()
        .where('digest', '=', digest)
        .executeTakeFirst();
      return (
        row && {
          id: row.id,
          digest: row.digest,
          userId: row.user_id,
          authTime: row.auth_time,
          requestDigest: row.request_digest,
          expiresAt: row.expires_at,
          createdAt: row.created_at,
        }
      );
    },
    async clearRequestDigest(id) {
      await db
        .updateTable('login_sessions')
        .set({ request_digest: null })
        .where('id', '=', id)
        .execute();
    },
    async delete(id) {
      await db.deleteFrom('login_sessions').where('id', '=', id).execute();
    },
  };
}
