import type { Kysely, Selectable } from 'kysely';
import type {
  ApiKey,
  ApiKeyEnvironment,
  ApiKeyRepository,
  ApiKeyUsageRepository,
} from '../../core/apikeys/api-key.js';
import type { ApiKeysTable, Database } from '../schema.js';
import { fromJsonList, toJsonList } from './json-list.js';

const toApiKey = (row: Selectable<ApiKeysTable>): ApiKey => ({
  id: row.id,
  name: row.name,
  digest: row.digest,
  displayPrefix: row.display_prefix,
  environment: row.environment as ApiKeyEnvironment,
  scopes: fromJsonList(row.scopes),
  tier: row.tier,
  organizationId: row.organization_id,
  userId: row.user_id,
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  rotatedAt: row.rotated_at,
  graceUntil: row.grace_until,
  replacedBy: row.replaced_by,
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function apiKeyRepository(db: Kysely<Database>): ApiKeyRepository {
  const dead = (cutoff: number) =>
    db
      .selectFrom('api_keys')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('expires_at', '<', cutoff),
          eb('revoked_at', '<', cutoff),
          eb('grace_until', '<', cutoff),
        ]),
      );
  return {
    async insert(key) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          name: key.name,
          digest: key.digest,
          display_prefix: key.displayPrefix,
          environment: key.environment,
          scopes: toJsonList(key.scopes),
          tier: key.tier,
          organization_id: key.organizationId,
          user_id: key.userId,
          metadata: JSON.stringify(key.metadata),
          expires_at: key.expiresAt,
          revoked_at: key.revokedAt,
          rotated_at: key.rotatedAt,
          grace_until: key.graceUntil,
          replaced_by: key.replacedBy,
          last_used_at: key.lastUsedAt,
          created_at: key.createdAt,
          updated_at: key.updatedAt,
        })
        .execute();
    },
    async findById(id) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toApiKey(row);
    },
    async findByDigest(digest) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('digest', '=', digest)
        .executeTakeFirst();
      return row && toApiKey(row);
    },
    async list(filter, now) {
      let query = db.selectFrom('api_keys').selectAll().orderBy('id', 'desc').limit(filter.limit);
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      if (filter.organizationId !== undefined)
        query = query.where('organization_id', '=', filter.organizationId);
      if (!filter.includeInactive) {
        query = query
          .where('revoked_at', 'is', null)
          .where((eb) => eb.or([eb('grace_until', 'is', null), eb('grace_until', '>', now)]));
      }
      return (await query.execute()).map(toApiKey);
    },
    async update(id, patch) {
      const row = await db
        .updateTable('api_keys')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.scopes !== undefined ? { scopes: toJsonList(patch.scopes) } : {}),
          ...(patch.tier !== undefined ? { tier: patch.tier } : {}),
          ...(patch.metadata !== undefined ? { metadata: JSON.stringify(patch.metadata) } : {}),
          ...(patch.revokedAt !== undefined ? { revoked_at: patch.revokedAt } : {}),
          updated_at: patch.updatedAt,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toApiKey(row);
    },
    async markRotated(id, replacedBy, now, graceUntil) {
      const result = await db
        .updateTable('api_keys')
        .set({ rotated_at: now, grace_until: graceUntil, replaced_by: replacedBy, updated_at: now })
        .where('id', '=', id)
        .where('rotated_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteDead(cutoff, limit) {
      const result = await db
        .deleteFrom('api_keys')
        .where('id', 'in', dead(cutoff).limit(limit))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async countDead(cutoff) {
      const row = await db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('id', 'in', dead(cutoff))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

export function apiKeyUsageRepository(db: Kysely<Database>): ApiKeyUsageRepository {
  return {
    async add(counts, lastUsed) {
      if (counts.length === 0 && lastUsed.length === 0) return;
      await db.transaction().execute(async (trx) => {
        // A key deleted since its requests were counted takes its counts with it.
        const ids = [...new Set([...counts.map((c) => c.keyId), ...lastUsed.map((l) => l.keyId)])];
        const existing = new Set(
          (await trx.selectFrom('api_keys').select('id').where('id', 'in', ids).execute()).map(
            (r) => r.id,
          ),
        );
        const live = counts.filter((c) => existing.has(c.keyId));
        if (live.length) {
          await trx
            .insertInto('api_key_usage')
            .values(live.map((c) => ({ key_id: c.keyId, hour: c.hour, requests: c.requests })))
            .onConflict((oc) =>
              oc.columns(['key_id', 'hour']).doUpdateSet((eb) => ({
                requests: eb('api_key_usage.requests', '+', eb.ref('excluded.requests')),
              })),
            )
            .execute();
        }
        for (const { keyId, at } of lastUsed) {
          await trx
            .updateTable('api_keys')
            .set({ last_used_at: at })
            .where('id', '=', keyId)
            .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
            .execute();
        }
      });
    },
    async hourly(keyId, since) {
      const rows = await db
        .selectFrom('api_key_usage')
        .select(['hour', 'requests'])
        .where('key_id', '=', keyId)
        .where('hour', '>=', since)
        .orderBy('hour')
        .execute();
      return rows.map((r) => ({ hour: Number(r.hour), requests: Number(r.requests) }));
    },
  };
}
