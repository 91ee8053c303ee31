import type { Kysely } from 'kysely';
import type { ConsentRepository } from '../../core/consents/consent.js';
import type { Database } from '../schema.js';
import { fromJsonList, toJsonList } from './json-list.js';

export function consentRepository(db: Kysely<Database>): ConsentRepository {
  return {
    async find(userId, clientId) {
      const row = await db
        .selectFrom('consents')
        .selectAll()
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return (
        row && {
          userId: row.user_id,
          clientId: row.client_id,
          scopes: fromJsonList(row.scopes),
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        }
      );
    },
    async upsert(consent) {
      await db
        .insertInto('consents')
        .values({
          user_id: consent.userId,
          client_id: consent.clientId,
          scopes: toJsonList(consent.scopes),
          created_at: consent.createdAt,
          updated_at: consent.updatedAt,
        })
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'client_id'])
            .doUpdateSet({ scopes: toJsonList(consent.scopes), updated_at: consent.updatedAt }),
        )
        .execute();
    },
    async delete(userId, clientId) {
      const result = await db
        .deleteFrom('consents')
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
