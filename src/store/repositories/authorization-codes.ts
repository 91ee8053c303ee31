import type { Kysely, Selectable } from 'kysely';
import type {
  AuthorizationCode,
  AuthorizationCodeRepository,
} from '../../core/oauth/authorization-code.js';
import type { AuthorizationCodesTable, Database } from '../schema.js';
import { fromJsonList, toJsonList } from './json-list.js';

const toCode = (row: Selectable<AuthorizationCodesTable>): AuthorizationCode => ({
  id: row.id,
  digest: row.digest,
  clientId: row.client_id,
  userId: row.user_id,
  redirectUri: row.redirect_uri,
  scopes: fromJsonList(row.scopes),
  codeChallenge: row.code_challenge,
  codeChallengeMethod: row.code_challenge_method === 'S256' ? 'S256' : null,
  nonce: row.nonce,
  authTime: row.auth_time,
  expiresAt: row.expires_at,
  consumedAt: row.consumed_at,
  replayedAt: row.replayed_at,
  createdAt: row.created_at,
});

export function authorizationCodeRepository(db: Kysely<Database>): AuthorizationCodeRepository {
  return {
    async insert(code) {
      await db
        .insertInto('authorization_codes')
        .values({
          id: code.id,
          digest: code.digest,
          client_id: code.clientId,
          user_id: code.userId,
          redirect_uri: code.redirectUri,
          scopes: toJsonList(code.scopes),
          code_challenge: code.codeChallenge,
          code_challenge_method: code.codeChallengeMethod,
          nonce: code.nonce,
          auth_time: code.authTime,
          expires_at: code.expiresAt,
          consumed_at: code.consumedAt,
          replayed_at: code.replayedAt,
          created_at: code.createdAt,
        })
        .execute();
    },
    async consume(digest, now) {
      // The WHERE clause is both selector and guard: one UPDATE, one winner, on either engine.
      const row = await db
        .updateTable('authorization_codes')
        .set({ consumed_at: now })
        .where('digest', '=', digest)
        .where('consumed_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row && toCode(row);
    },
    async findByDigest(digest) {
      const row = await db
        .selectFrom('authorization_codes')
        .selectAll()
        .where('digest', '=', digest)
        .executeTakeFirst();
      return row && toCode(row);
    },
    async markReplayed(id, now) {
      await db
        .updateTable('authorization_codes')
        .set({ replayed_at: now })
        .where('id', '=', id)
        .where('replayed_at', 'is', null)
        .execute();
    },
    async deleteExpired(before) {
      const result = await db
        .deleteFrom('authorization_codes')
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
