import type { Kysely, Selectable } from 'kysely';
import type { Client, ClientKind, ClientRepository, GrantType } from '../../core/clients/client.js';
import type { ClientsTable, Database } from '../schema.js';
import { fromJsonList, toJsonList } from './json-list.js';

const toClient = (row: Selectable<ClientsTable>): Client => ({
  id: row.id,
  name: row.name,
  kind: row.kind as ClientKind,
  secretDigest: row.secret_digest,
  redirectUris: fromJsonList(row.redirect_uris),
  grantTypes: fromJsonList(row.grant_types) as GrantType[],
  scopes: fromJsonList(row.scopes),
  userId: row.user_id,
  skipConsent: row.skip_consent === 1,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function clientRepository(db: Kysely<Database>): ClientRepository {
  return {
    async insert(client) {
      await db
        .insertInto('clients')
        .values({
          id: client.id,
          name: client.name,
          kind: client.kind,
          secret_digest: client.secretDigest,
          redirect_uris: toJsonList(client.redirectUris),
          grant_types: toJsonList(client.grantTypes),
          scopes: toJsonList(client.scopes),
          user_id: client.userId,
          skip_consent: client.skipConsent ? 1 : 0,
          revoked_at: client.revokedAt,
          created_at: client.createdAt,
          updated_at: client.updatedAt,
        })
        .execute();
    },
    async findById(id) {
      const row = await db
        .selectFrom('clients')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toClient(row);
    },
    async list({ includeRevoked }) {
      let query = db.selectFrom('clients').selectAll().orderBy('id');
      if (!includeRevoked) query = query.where('revoked_at', 'is', null);
      return (await query.execute()).map(toClient);
    },
    async update(id, patch) {
      const row = await db
        .updateTable('clients')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.redirectUris !== undefined
            ? { redirect_uris: toJsonList(patch.redirectUris) }
            : {}),
          ...(patch.scopes !== undefined ? { scopes: toJsonList(patch.scopes) } : {}),
          ...(patch.grantTypes !== undefined ? { grant_types: toJsonList(patch.grantTypes) } : {}),
          ...(patch.secretDigest !== undefined ? { secret_digest: patch.secretDigest } : {}),
          ...(patch.revokedAt !== undefined ? { revoked_at: patch.revokedAt } : {}),
          ...(patch.skipConsent !== undefined ? { skip_consent: patch.skipConsent ? 1 : 0 } : {}),
          updated_at: patch.updatedAt,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toClient(row);
    },
    async delete(id) {
      const result = await db.deleteFrom('clients').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
