import { sql, type Kysely } from 'kysely';
import type { ScopeRepository } from '../../core/scopes/scope.js';
import type { Database } from '../schema.js';

export function scopeRepository(db: Kysely<Database>): ScopeRepository {
  const toScope = (row: { name: string; description: string; created_at: number }) => ({
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
  });
  return {
    async list() {
      return (
        await db
          .selectFrom('scopes')
          .selectAll()
          .where('deleted_at', 'is', null)
          .orderBy('name')
          .execute()
      ).map(toScope);
    },
    async find(name) {
      const row = await db
        .selectFrom('scopes')
        .selectAll()
        .where('name', '=', name)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return row && toScope(row);
    },
    async insertMissing(scopes) {
      if (scopes.length === 0) return 0;
      const result = await db
        .insertInto('scopes')
        .values(
          scopes.map((s) => ({
            name: s.name,
            description: s.description,
            created_at: s.createdAt,
          })),
        )
        .onConflict((oc) => oc.column('name').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0);
    },
    async upsert(scope) {
      await db
        .insertInto('scopes')
        .values({ name: scope.name, description: scope.description, created_at: scope.createdAt })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({
            description: scope.description,
            // A deleted scope defined again is a new scope: it gets a new creation time.
            created_at: sql<number>`case when scopes.deleted_at is null then scopes.created_at else excluded.created_at end`,
            deleted_at: null,
          }),
        )
        .execute();
    },
    async delete(name, now) {
      // A tombstone, not a delete: insertMissing (configured scopes) must not bring it back.
      const result = await db
        .updateTable('scopes')
        .set({ deleted_at: now })
        .where('name', '=', name)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
