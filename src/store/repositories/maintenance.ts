import {
  SqliteAdapter,
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
} from 'kysely';
import type {
  DailyIssued,
  MaintenanceRepository,
  PrunableTable,
  TokenCounts,
} from '../../core/maintenance/maintenance-repository.js';
import type { IssuingGrant } from '../../core/tokens/access-token-record.js';
import type { Database } from '../schema.js';

const DAY_MS = 86_400_000;
/** A family is written a moment before its first token: never take a fresh one for empty. */
const EMPTY_FAMILY_MIN_AGE_MS = 3_600_000;

type Eb<T extends keyof Database> = ExpressionBuilder<Database, T>;

/** For each prunable table: its key column and what makes a row dead before `cutoff`. */
const DEAD: {
  [T in PrunableTable]: {
    key: string;
    where: (eb: Eb<T>, cutoff: number) => Expression<SqlBool>;
  };
} = {
  access_tokens: {
    key: 'jti',
    where: (eb, cutoff) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]),
  },
  refresh_tokens: {
    key: 'id',
    where: (eb, cutoff) =>
      eb.or([
        eb('expires_at', '<', cutoff),
        eb(
          'family_id',
          'in',
          eb
            .selectFrom('refresh_token_families')
            .select('refresh_token_families.id')
            .where('refresh_token_families.revoked_at', '<', cutoff),
        ),
      ]),
  },
  refresh_token_families: {
    key: 'id',
    where: (eb, cutoff) =>
      eb.or([
        eb('revoked_at', '<', cutoff),
        eb.and([
          eb('created_at', '<', cutoff - EMPTY_FAMILY_MIN_AGE_MS),
          eb.not(
            eb.exists(
              eb
                .selectFrom('refresh_tokens')
                .select(sql.lit(1).as('one'))
                .whereRef('refresh_tokens.family_id', '=', 'refresh_token_families.id'),
            ),
          ),
        ]),
      ]),
  },
  authorization_codes: {
    key: 'id',
    // A consumed code is kept while tokens it produced remain (they are pruned first): its
    // replay is what revokes them (RFC 6749 §4.1.2).
    where: (eb, cutoff) =>
      eb.and([
        eb('expires_at', '<', cutoff),
        eb.or([
          eb('consumed_at', 'is', null),
          eb.and([
            eb.not(
              eb.exists(
                eb
                  .selectFrom('access_tokens')
                  .select(sql.lit(1).as('one'))
                  .whereRef('access_tokens.authorization_code_id', '=', 'authorization_codes.id'),
              ),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('refresh_token_families')
                  .select(sql.lit(1).as('one'))
                  .whereRef(
                    'refresh_token_families.authorization_code_id',
                    '=',
                    'authorization_codes.id',
                  ),
              ),
            ),
          ]),
        ]),
      ]),
  },
  login_sessions: {
    key: 'id',
    where: (eb, cutoff) => eb('expires_at', '<', cutoff),
  },
};

const count = (value: unknown): number => Number(value ?? 0);

/**
 * A JSON list column (`["a","b"]`) that names `item`, case-sensitively on both engines (SQLite's
 * LIKE folds ASCII case): a substring search for the quoted item.
 */
const listNames = (sqlite: boolean, column: string, item: string) =>
  sqlite
    ? sql<SqlBool>`instr(${sql.ref(column)}, ${JSON.stringify(item)}) > 0`
    : sql<SqlBool>`strpos(${sql.ref(column)}, ${JSON.stringify(item)}) > 0`;

export function maintenanceRepository(db: Kysely<Database>): MaintenanceRepository {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // Kysely cannot type a query over a table chosen at run time. Each table's condition is
  // typed in DEAD above; this is the one place the table becomes a parameter.
  // any: the table name is a run-time value.
  const untyped = db as unknown as Kysely<any>;
  const deadWhere = (table: PrunableTable) =>
    DEAD[table].where as (eb: unknown, cutoff: number) => Expression<SqlBool>;
  return {
    async countDead(table, cutoff) {
      const where = deadWhere(table);
      const row = await untyped
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb: unknown) => where(eb, cutoff))
        .executeTakeFirst();
      return count(row?.n);
    },
    async deleteDead(table, cutoff, limit) {
      const { key } = DEAD[table];
      const where = deadWhere(table);
      // DELETE … LIMIT is not portable; a keyed sub-select is, on SQLite and PostgreSQL.
      const result = await untyped
        .deleteFrom(table)
        .where(
          key,
          'in',
          untyped
            .selectFrom(table)
            .select(key)
            .where((eb: unknown) => where(eb, cutoff))
            .limit(limit),
        )
        .executeTakeFirst();
      return count(result.numDeletedRows);
    },
    async tokenCounts(now) {
      const rows = await db
        .selectFrom('access_tokens')
        .select((eb) => [
          'client_id',
          'grant_type',
          eb.fn
            .sum<number>(eb.case().when('revoked_at', 'is not', null).then(1).else(0).end())
            .as('revoked'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.and([eb('revoked_at', 'is', null), eb('expires_at', '<=', now)]))
                .then(1)
                .else(0)
                .end(),
            )
            .as('expired'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.and([eb('revoked_at', 'is', null), eb('expires_at', '>', now)]))
                .then(1)
                .else(0)
                .end(),
            )
            .as('active'),
        ])
        .groupBy(['client_id', 'grant_type'])
        .orderBy('client_id')
        .orderBy('grant_type')
        .execute();
      return rows.map((row): TokenCounts => ({
        clientId: row.client_id,
        grantType: row.grant_type as IssuingGrant | null,
        active: count(row.active),
        expired: count(row.expired),
        revoked: count(row.revoked),
      }));
    },
    async issuedPerDay(since) {
      // Integer division on both engines (bigint / integer on PostgreSQL).
      const day = sql<number>`${sql.ref('created_at')} / ${sql.lit(DAY_MS)}`;
      const rows = await db
        .selectFrom('access_tokens')
        .select([day.as('day'), (eb) => eb.fn.countAll().as('issued')])
        .where('created_at', '>=', since)
        .groupBy(day)
        .orderBy(day)
        .execute();
      return rows.map((row): DailyIssued => ({
        day: new Date(count(row.day) * DAY_MS).toISOString().slice(0, 10),
        issued: count(row.issued),
      }));
    },
    async tableCounts(now) {
      const scalar = async (query: { executeTakeFirst(): Promise<{ n: unknown } | undefined> }) =>
        count((await query.executeTakeFirst())?.n);
      const n = (eb: ExpressionBuilder<Database, keyof Database>) => eb.fn.countAll().as('n');
      const [clients, revokedClients, users, scopes, tokens, families, keys] = await Promise.all([
        scalar(db.selectFrom('clients').select(n).where('revoked_at', 'is', null)),
        scalar(db.selectFrom('clients').select(n).where('revoked_at', 'is not', null)),
        scalar(db.selectFrom('users').select(n)),
        scalar(db.selectFrom('scopes').select(n).where('deleted_at', 'is', null)),
        scalar(
          db
            .selectFrom('access_tokens')
            .select(n)
            .where('revoked_at', 'is', null)
            .where('expires_at', '>', now),
        ),
        scalar(db.selectFrom('refresh_token_families').select(n).where('revoked_at', 'is', null)),
        scalar(db.selectFrom('signing_keys').select(n)),
      ]);
      return {
        clients,
        revokedClients,
        users,
        scopes,
        activeAccessTokens: tokens,
        activeRefreshFamilies: families,
        signingKeys: keys,
      };
    },
    async scopeUsage(scope, now) {
      const names = (column: string, item: string) => listNames(sqlite, column, item);
      const scalar = async (query: { executeTakeFirst(): Promise<{ n: unknown } | undefined> }) =>
        count((await query.executeTakeFirst())?.n);
      const n = (eb: ExpressionBuilder<Database, keyof Database>) => eb.fn.countAll().as('n');
      const [clients, tokens, families, consents] = await Promise.all([
        scalar(db.selectFrom('clients').select(n).where(names('scopes', scope))),
        scalar(
          db
            .selectFrom('access_tokens')
            .select(n)
            .where('revoked_at', 'is', null)
            .where('expires_at', '>', now)
            .where(names('scopes', scope)),
        ),
        scalar(
          db
            .selectFrom('refresh_token_families')
            .select(n)
            .where('revoked_at', 'is', null)
            .where(names('scopes', scope)),
        ),
        scalar(db.selectFrom('consents').select(n).where(names('scopes', scope))),
      ]);
      return {
        clients,
        activeAccessTokens: tokens,
        activeRefreshFamilies: families,
        consents,
      };
    },
  };
}
