import type { Kysely } from 'kysely';
import type { AccountTokenRepository } from '../../core/accounts/account-token.js';
import type { Database } from '../schema.js';

export function accountTokenRepository(db: Kysely<Database>): AccountTokenRepository {
  return {
    async insert(token) {
      await db
        .insertInto('account_tokens')
        .values({
          digest: token.digest,
          user_id: token.userId,
          purpose: token.purpose,
          expires_at: token.expiresAt,
          used_at: null,
          created_at: token.createdAt,
        })
        .execute();
    },
    async consume(digest, purpose, now) {
      const row = await db
        .updateTable('account_tokens')
        .set({ used_at: now })
        .where('digest', '=', digest)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return (
        row && {
          digest: row.digest,
          userId: row.user_id,
          purpose: row.purpose as typeof purpose,
          expiresAt: Number(row.expires_at),
          usedAt: now,
          createdAt: Number(row.created_at),
        }
      );
    },
    async retire(userId, purpose, now) {
      await db
        .updateTable('account_tokens')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .execute();
    },
  };
}
