import type { Kysely, Selectable } from 'kysely';
import type { JWK } from 'jose';
import type {
  SigningAlgorithm,
  SigningKeyRecord,
  SigningKeyRepository,
} from '../../core/keys/signing-key-record.js';
import type { Database, SigningKeysTable } from '../schema.js';

const toKey = (row: Selectable<SigningKeysTable>): SigningKeyRecord => ({
  kid: row.kid,
  alg: row.alg as SigningAlgorithm,
  publicJwk: JSON.parse(row.public_jwk) as JWK,
  status: row.status === 'active' ? 'active' : 'retired',
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  verifyUntil: row.verify_until,
});

export function signingKeyRepository(db: Kysely<Database>): SigningKeyRepository {
  return {
    async list() {
      return (
        await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute()
      ).map(toKey);
    },
    async find(kid) {
      const row = await db
        .selectFrom('signing_keys')
        .selectAll()
        .where('kid', '=', kid)
        .executeTakeFirst();
      return row && toKey(row);
    },
    async insert(key) {
      await db
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          alg: key.alg,
          public_jwk: JSON.stringify(key.publicJwk),
          status: key.status,
          created_at: key.createdAt,
          retired_at: key.retiredAt,
          verify_until: key.verifyUntil,
        })
        .onConflict((conflict) => conflict.column('kid').doNothing())
        .execute();
    },
    async retireOthers(exceptKid, now, verifyUntil) {
      const result = await db
        .updateTable('signing_keys')
        .set({ status: 'retired', retired_at: now, verify_until: verifyUntil })
        .where('kid', '!=', exceptKid)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async activate(kid) {
      await db
        .updateTable('signing_keys')
        .set({ status: 'active', retired_at: null, verify_until: null })
        .where('kid', '=', kid)
        .execute();
    },
    async deleteExpired(now) {
      const result = await db
        .deleteFrom('signing_keys')
        .where('status', '=', 'retired')
        .where('verify_until', '<', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
