import type { Kysely, Selectable } from 'kysely';
import type {
  RefreshTokenFamily,
  RefreshTokenRecord,
  RefreshTokenRepository,
} from '../../core/tokens/refresh-token-record.js';
import type { Database, RefreshTokenFamiliesTable, RefreshTokensTable } from '../schema.js';
import { fromJsonList, toJsonList } from './json-list.js';

const toFamily = (row: Selectable<RefreshTokenFamiliesTable>): RefreshTokenFamily => ({
  id: row.id,
  clientId: row.client_id,
  userId: row.user_id,
  scopes: fromJsonList(row.scopes),
  authorizationCodeId: row.authorization_code_id,
  authTime: row.auth_time,
  nonce: row.nonce,
  organizationId: row.organization_id ?? null,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
});

const toToken = (row: Selectable<RefreshTokensTable>): RefreshTokenRecord => ({
  id: row.id,
  digest: row.digest,
  familyId: row.family_id,
  scopes: fromJsonList(row.scopes),
  expiresAt: row.expires_at,
  consumedAt: row.consumed_at,
  createdAt: row.created_at,
});

export function refreshTokenRepository(db: Kysely<Database>): RefreshTokenRepository {
  return {
    async insertFamily(family) {
      await db
        .insertInto('refresh_token_families')
        .values({
          id: family.id,
          client_id: family.clientId,
          user_id: family.userId,
          scopes: toJsonList(family.scopes),
          authorization_code_id: family.authorizationCodeId,
          auth_time: family.authTime,
          nonce: family.nonce,
          organization_id: family.organizationId,
          revoked_at: family.revokedAt,
          created_at: family.createdAt,
        })
        .execute();
    },
    async insert(token) {
      await db
        .insertInto('refresh_tokens')
        .values({
          id: token.id,
          digest: token.digest,
          family_id: token.familyId,
          scopes: toJsonList(token.scopes),
          expires_at: token.expiresAt,
          consumed_at: token.consumedAt,
          created_at: token.createdAt,
        })
        .execute();
    },
    async findFamily(id) {
      const row = await db
        .selectFrom('refresh_token_families')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toFamily(row);
    },
    async findByDigest(digest) {
      const row = await db
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('digest', '=', digest)
        .executeTakeFirst();
      return row && toToken(row);
    },
    async consume(digest, now) {
      const row = await db
        .updateTable('refresh_tokens')
        .set({ consumed_at: now })
        .where('digest', '=', digest)
        .where('consumed_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row && toToken(row);
    },
    async revokeFamily(familyId, now) {
      const result = await db
        .updateTable('refresh_token_families')
        .set({ revoked_at: now })
        .where('id', '=', familyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async revokeFamiliesByAuthorizationCode(codeId, now) {
      const rows = await db
        .updateTable('refresh_token_families')
        .set({ revoked_at: now })
        .where('authorization_code_id', '=', codeId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
    async revokeFamiliesByUser(userId, now) {
      const result = await db
        .updateTable('refresh_token_families')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async revokeFamiliesByUserInOrganization(userId, org, now) {
      const rows = await db
        .updateTable('refresh_token_families')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('organization_id', '=', org)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      return rows.map((row) => row.id);
    },
    async revokeFamiliesByClient(clientId, now) {
      const result = await db
        .updateTable('refresh_token_families')
        .set({ revoked_at: now })
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
