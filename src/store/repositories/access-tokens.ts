import type { RevokedAccessToken } from '../../core/tokens/revocation-list.js';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { InsertBatcher } from '../insert-batcher.js';
import type {
  AccessTokenKind,
  AccessTokenRecord,
  AccessTokenRepository,
  IssuingGrant,
} from '../../core/tokens/access-token-record.js';
import type { AccessTokensTable, Database } from '../schema.js';
import { fromJsonList, toJsonList } from './json-list.js';

const toRecord = (row: Selectable<AccessTokensTable>): AccessTokenRecord => ({
  jti: row.jti,
  kind: row.kind as AccessTokenKind,
  clientId: row.client_id,
  userId: row.user_id,
  name: row.name,
  scopes: fromJsonList(row.scopes),
  authorizationCodeId: row.authorization_code_id,
  refreshFamilyId: row.refresh_family_id,
  grantType: row.grant_type as IssuingGrant | null,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
});

const toRow = (token: AccessTokenRecord): Insertable<AccessTokensTable> => ({
  jti: token.jti,
  kind: token.kind,
  client_id: token.clientId,
  user_id: token.userId,
  name: token.name,
  scopes: toJsonList(token.scopes),
  authorization_code_id: token.authorizationCodeId,
  refresh_family_id: token.refreshFamilyId,
  grant_type: token.grantType,
  expires_at: token.expiresAt,
  revoked_at: token.revokedAt,
  created_at: token.createdAt,
});

/**
 * @param onRevoked told of every token this repository revokes (the Redis deny-list); a
 *   failure there is the caller's to report, the revocation in the database stands.
 */
export function accessTokenRepository(
  db: Kysely<Database>,
  onRevoked?: (tokens: RevokedAccessToken[]) => Promise<void>,
): AccessTokenRepository {
  // One row per issued token is the token endpoint's main cost: written in groups.
  const batcher = new InsertBatcher<Insertable<AccessTokensTable>>(async (rows) => {
    await db.insertInto('access_tokens').values(rows).execute();
  });
  const announce = async (rows: Array<{ jti: string; expires_at: number | string }>) => {
    if (onRevoked && rows.length > 0)
      await onRevoked(rows.map((r) => ({ jti: r.jti, expiresAt: Number(r.expires_at) })));
  };
  const revokeWhere = async (
    column: 'authorization_code_id' | 'refresh_family_id' | 'client_id' | 'user_id',
    value: string,
    now: number,
  ) => {
    const rows = await db
      .updateTable('access_tokens')
      .set({ revoked_at: now })
      .where(column, '=', value)
      .where('revoked_at', 'is', null)
      .returning(['jti', 'expires_at'])
      .execute();
    await announce(rows);
    return rows.length;
  };
  return {
    insert: (token) => batcher.insert(toRow(token)),
    async findByJti(jti) {
      const row = await db
        .selectFrom('access_tokens')
        .selectAll()
        .where('jti', '=', jti)
        .executeTakeFirst();
      return row && toRecord(row);
    },
    async revoke(jti, now) {
      const rows = await db
        .updateTable('access_tokens')
        .set({ revoked_at: now })
        .where('jti', '=', jti)
        .where('revoked_at', 'is', null)
        .returning(['jti', 'expires_at'])
        .execute();
      await announce(rows);
      return rows.length > 0;
    },
    revokeByAuthorizationCode: (codeId, now) => revokeWhere('authorization_code_id', codeId, now),
    revokeByRefreshFamily: (familyId, now) => revokeWhere('refresh_family_id', familyId, now),
    revokeByClient: (clientId, now) => revokeWhere('client_id', clientId, now),
    revokeByUser: (userId, now) => revokeWhere('user_id', userId, now),
    async listPersonal(userId, now) {
      const rows = await db
        .selectFrom('access_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .where('kind', '=', 'personal')
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('jti', 'desc')
        .execute();
      return rows.map(toRecord);
    },
    async listByClient(clientId, limit) {
      const rows = await db
        .selectFrom('access_tokens')
        .selectAll()
        .where('client_id', '=', clientId)
        .orderBy('jti', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
  };
}
