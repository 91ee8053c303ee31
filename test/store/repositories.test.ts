import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest, pendingMigrations } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { createRepositories } from '../../src/store/repositories/index.js';
import type { Database } from '../../src/store/schema.js';
import type { Repositories } from '../../src/core/context.js';
import { newId } from '../../src/core/ids.js';
import type { Client } from '../../src/core/clients/client.js';
import type { User } from '../../src/core/users/user.js';
import type { AuthorizationCode } from '../../src/core/oauth/authorization-code.js';
import type { AccessTokenRecord } from '../../src/core/tokens/access-token-record.js';
import type {
  RefreshTokenFamily,
  RefreshTokenRecord,
} from '../../src/core/tokens/refresh-token-record.js';
import type { SigningKeyRecord } from '../../src/core/keys/signing-key-record.js';
import type { LoginSession } from '../../src/core/sessions/login-session.js';
import {
  createPostgresSchema,
  POSTGRES_URL,
  testDialects,
  type TestDialect,
} from '../helpers/dialects.js';

/** A moment well past 2^32 ms, so a bigint column that came back as a string would show. */
const T = 1_750_000_000_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const digest = (): string => randomBytes(32).toString('hex');

interface FreshDatabase {
  db: Kysely<Database>;
  /** The PostgreSQL schema (undefined on SQLite), for the migrator. */
  schema: string | undefined;
  close(): Promise<void>;
}

/** An empty database of its own: a temp SQLite file or a fresh PostgreSQL schema. */
async function openFreshDatabase(dialect: TestDialect): Promise<FreshDatabase> {
  if (dialect === 'postgres') {
    const { schema, drop } = await createPostgresSchema();
    const { db } = openDatabase(POSTGRES_URL, { schema });
    return {
      db,
      schema,
      async close() {
        await db.destroy();
        await drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-repos-'));
  const { db } = openDatabase(`sqlite:${join(dir, 'x.db')}`);
  return {
    db,
    schema: undefined,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const clientRow = (overrides: Partial<Client> = {}): Client => ({
  id: newId(),
  name: 'Acme web app',
  kind: 'authorization_code',
  secretDigest: digest(),
  redirectUris: ['https://app.example.com/callback', 'http://127.0.0.1:3000/cb'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'posts:*', '*:read'],
  userId: null,
  skipConsent: false,
  revokedAt: null,
  createdAt: T,
  updatedAt: T,
  ...overrides,
});

const userRow = (overrides: Partial<User> = {}): User => ({
  id: newId(),
  email: `ada-${newId().toLowerCase()}@example.com`,
  name: 'Ada Lovelace',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  emailVerifiedAt: T - DAY,
  disabledAt: null,
  createdAt: T - 2 * DAY,
  updatedAt: T - DAY,
  ...overrides,
});

const codeRow = (
  clientId: string,
  userId: string,
  overrides: Partial<AuthorizationCode> = {},
): AuthorizationCode => ({
  id: newId(),
  digest: digest(),
  clientId,
  userId,
  redirectUri: 'https://app.example.com/callback',
  scopes: ['openid', 'profile', 'offline_access'],
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  nonce: 'n-0S6_WzA2Mj',
  authTime: T - MINUTE,
  expiresAt: T + MINUTE,
  consumedAt: null,
  replayedAt: null,
  createdAt: T,
  ...overrides,
});

const accessTokenRow = (
  clientId: string,
  overrides: Partial<AccessTokenRecord> = {},
): AccessTokenRecord => ({
  jti: newId(),
  kind: 'access',
  clientId,
  userId: null,
  name: null,
  scopes: ['posts:read'],
  authorizationCodeId: null,
  refreshFamilyId: null,
  grantType: 'client_credentials',
  expiresAt: T + 60 * MINUTE,
  revokedAt: null,
  createdAt: T,
  ...overrides,
});

const familyRow = (
  clientId: string,
  overrides: Partial<RefreshTokenFamily> = {},
): RefreshTokenFamily => ({
  id: newId(),
  clientId,
  userId: null,
  scopes: ['openid', 'offline_access'],
  authorizationCodeId: null,
  authTime: null,
  nonce: null,
  organizationId: null,
  revokedAt: null,
  createdAt: T,
  ...overrides,
});

const refreshTokenRow = (
  familyId: string,
  overrides: Partial<RefreshTokenRecord> = {},
): RefreshTokenRecord => ({
  id: newId(),
  digest: digest(),
  familyId,
  scopes: ['openid', 'offline_access'],
  expiresAt: T + 30 * DAY,
  consumedAt: null,
  createdAt: T,
  ...overrides,
});

const signingKeyRow = (overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord => ({
  kid: `kid-${newId()}`,
  alg: 'ES256',
  publicJwk: {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    use: 'sig',
  },
  status: 'active',
  createdAt: T,
  retiredAt: null,
  verifyUntil: null,
  ...overrides,
});

const sessionRow = (userId: string, overrides: Partial<LoginSession> = {}): LoginSession => ({
  id: newId(),
  digest: digest(),
  userId,
  authTime: T,
  requestDigest: digest(),
  expiresAt: T + 12 * 60 * MINUTE,
  createdAt: T,
  ...overrides,
});

for (const dialect of await testDialects()) {
  describe(`migrations on ${dialect}`, () => {
    test('migrateToLatest applies every migration to an empty database; a second run applies nothing', async () => {
      const fresh = await openFreshDatabase(dialect);
      try {
        const all = Object.keys(MIGRATIONS).sort();
        assert.deepEqual(await pendingMigrations(fresh.db, { schema: fresh.schema }), all);
        assert.deepEqual(await migrateToLatest(fresh.db, { schema: fresh.schema }), all);
        assert.deepEqual(await migrateToLatest(fresh.db, { schema: fresh.schema }), []);
        assert.deepEqual(await pendingMigrations(fresh.db, { schema: fresh.schema }), []);
      } finally {
        await fresh.close();
      }
    });

    test('an empty database migrates while another database on the same server is already migrated', async () => {
      // On PostgreSQL both live in one database, in two schemas: what every parallel test
      // run and every schema-per-tenant deployment does.
      const first = await openFreshDatabase(dialect);
      const second = await openFreshDatabase(dialect);
      try {
        const all = Object.keys(MIGRATIONS).sort();
        assert.deepEqual(await migrateToLatest(first.db, { schema: first.schema }), all);
        assert.deepEqual(await pendingMigrations(second.db, { schema: second.schema }), all);
        assert.deepEqual(await migrateToLatest(second.db, { schema: second.schema }), all);
        assert.deepEqual(await pendingMigrations(second.db, { schema: second.schema }), []);
        const user = userRow();
        await createRepositories(second.db).users.insert(user);
        assert.deepEqual(await createRepositories(second.db).users.findById(user.id), user);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });

  describe(`repositories on ${dialect}`, () => {
    let store: FreshDatabase;
    let repos: Repositories;

    // Every test gets its own empty, migrated database: no test sees another's rows.
    beforeEach(async () => {
      store = await openFreshDatabase(dialect);
      await migrateToLatest(store.db, { schema: store.schema });
      repos = createRepositories(store.db);
    });
    afterEach(() => store.close());

    const insertClient = async (overrides: Partial<Client> = {}): Promise<Client> => {
      const client = clientRow(overrides);
      await repos.clients.insert(client);
      return client;
    };
    const insertUser = async (overrides: Partial<User> = {}): Promise<User> => {
      const user = userRow(overrides);
      await repos.users.insert(user);
      return user;
    };

    describe('clients', () => {
      test('insert then findById returns every field, lists and nulls included', async () => {
        const owner = await insertUser();
        const confidential = await insertClient({ userId: owner.id, skipConsent: true });
        const publicClient = await insertClient({
          kind: 'password',
          secretDigest: null,
          redirectUris: [],
          grantTypes: ['password', 'refresh_token'],
          scopes: [],
        });
        assert.deepEqual(await repos.clients.findById(confidential.id), confidential);
        assert.deepEqual(await repos.clients.findById(publicClient.id), publicClient);
      });

      test('findById of an unknown id returns undefined', async () => {
        assert.equal(await repos.clients.findById(newId()), undefined);
      });

      test('list hides revoked clients unless asked, ordered by id', async () => {
        const first = await insertClient();
        const revoked = await insertClient({ revokedAt: T + MINUTE });
        const last = await insertClient();
        assert.deepEqual(await repos.clients.list({ includeRevoked: false }), [first, last]);
        assert.deepEqual(await repos.clients.list({ includeRevoked: true }), [
          first,
          revoked,
          last,
        ]);
      });

      test('update changes only the patched fields and returns the updated client', async () => {
        const client = await insertClient();
        const updated = await repos.clients.update(client.id, {
          name: 'Renamed',
          redirectUris: ['https://new.example.com/cb'],
          secretDigest: null,
          updatedAt: T + MINUTE,
        });
        const expected: Client = {
          ...client,
          name: 'Renamed',
          redirectUris: ['https://new.example.com/cb'],
          secretDigest: null,
          updatedAt: T + MINUTE,
        };
        assert.deepEqual(updated, expected);
        assert.deepEqual(await repos.clients.findById(client.id), expected);
      });

      test('update can revoke a client and replace its scopes and grant types', async () => {
        const client = await insertClient();
        const updated = await repos.clients.update(client.id, {
          scopes: ['users:read'],
          grantTypes: ['authorization_code'],
          revokedAt: T + MINUTE,
          updatedAt: T + MINUTE,
        });
        assert.deepEqual(updated, {
          ...client,
          scopes: ['users:read'],
          grantTypes: ['authorization_code'],
          revokedAt: T + MINUTE,
          updatedAt: T + MINUTE,
        });
      });

      test('update of an unknown id returns undefined', async () => {
        assert.equal(await repos.clients.update(newId(), { name: 'x', updatedAt: T }), undefined);
      });

      test('delete removes the client and reports whether it existed', async () => {
        const client = await insertClient();
        assert.equal(await repos.clients.delete(client.id), true);
        assert.equal(await repos.clients.findById(client.id), undefined);
        assert.equal(await repos.clients.delete(client.id), false);
      });

      test('deleting a client cascades to its codes, tokens, refresh families and consents', async () => {
        const user = await insertUser();
        const doomed = await insertClient();
        const kept = await insertClient();
        for (const client of [doomed, kept]) {
          const code = codeRow(client.id, user.id);
          await repos.authorizationCodes.insert(code);
          await repos.accessTokens.insert(accessTokenRow(client.id, { userId: user.id }));
          const family = familyRow(client.id, { userId: user.id });
          await repos.refreshTokens.insertFamily(family);
          await repos.refreshTokens.insert(refreshTokenRow(family.id));
          await repos.consents.upsert({
            userId: user.id,
            clientId: client.id,
            scopes: ['openid'],
            createdAt: T,
            updatedAt: T,
          });
        }

        assert.equal(await repos.clients.delete(doomed.id), true);

        const countFor = async (
          table: 'authorization_codes' | 'access_tokens' | 'refresh_token_families' | 'consents',
          clientId: string,
        ): Promise<number> =>
          (
            await store.db
              .selectFrom(table)
              .select('client_id')
              .where('client_id', '=', clientId)
              .execute()
          ).length;
        const tables = [
          'authorization_codes',
          'access_tokens',
          'refresh_token_families',
          'consents',
        ] as const;
        for (const table of tables) {
          assert.equal(await countFor(table, doomed.id), 0, `${table} of the deleted client`);
          assert.equal(await countFor(table, kept.id), 1, `${table} of the other client`);
        }
        const refreshTokens = await store.db.selectFrom('refresh_tokens').select('id').execute();
        assert.equal(refreshTokens.length, 1, 'only the other client’s refresh token remains');
      });

      test('a row pointing at a client that does not exist is rejected', async () => {
        await assert.rejects(repos.accessTokens.insert(accessTokenRow(newId())));
        const user = await insertUser();
        await assert.rejects(repos.authorizationCodes.insert(codeRow(newId(), user.id)));
      });
    });

    describe('users', () => {
      test('insert then findById and findByEmail return every field', async () => {
        const user = await insertUser();
        const bare = await insertUser({
          name: null,
          passwordHash: null,
          emailVerifiedAt: null,
          disabledAt: T,
        });
        assert.deepEqual(await repos.users.findById(user.id), user);
        assert.deepEqual(await repos.users.findByEmail(user.email), user);
        assert.deepEqual(await repos.users.findById(bare.id), bare);
      });

      test('unknown id or email returns undefined', async () => {
        assert.equal(await repos.users.findById(newId()), undefined);
        assert.equal(await repos.users.findByEmail('nobody@example.com'), undefined);
      });

      test('a second user with the same email is rejected', async () => {
        const user = await insertUser();
        await assert.rejects(repos.users.insert(userRow({ email: user.email })));
        assert.deepEqual(await repos.users.findByEmail(user.email), user);
      });

      test('updatePasswordHash replaces the hash and the update time only', async () => {
        const user = await insertUser();
        const other = await insertUser();
        await repos.users.updatePasswordHash(user.id, '$argon2id$new', T + MINUTE);
        assert.deepEqual(await repos.users.findById(user.id), {
          ...user,
          passwordHash: '$argon2id$new',
          updatedAt: T + MINUTE,
        });
        assert.deepEqual(await repos.users.findById(other.id), other);
      });
    });

    describe('scopes', () => {
      test('insertMissing inserts new scopes, keeps existing descriptions and counts inserts', async () => {
        await repos.scopes.upsert({ name: 'posts:read', description: 'Read posts', createdAt: T });
        const inserted = await repos.scopes.insertMissing([
          { name: 'posts:read', description: 'Overwritten?', createdAt: T + MINUTE },
          { name: 'posts:write', description: 'Write posts', createdAt: T + MINUTE },
          { name: 'openid', description: 'Sign in', createdAt: T + MINUTE },
        ]);
        assert.equal(inserted, 2);
        assert.deepEqual(await repos.scopes.list(), [
          { name: 'openid', description: 'Sign in', createdAt: T + MINUTE },
          { name: 'posts:read', description: 'Read posts', createdAt: T },
          { name: 'posts:write', description: 'Write posts', createdAt: T + MINUTE },
        ]);
      });

      test('insertMissing of nothing, or of only existing scopes, inserts nothing', async () => {
        assert.equal(await repos.scopes.insertMissing([]), 0);
        await repos.scopes.upsert({ name: 'email', description: 'Email', createdAt: T });
        assert.equal(
          await repos.scopes.insertMissing([{ name: 'email', description: 'x', createdAt: T }]),
          0,
        );
      });

      test('upsert replaces the description of an existing scope and keeps its creation time', async () => {
        await repos.scopes.upsert({ name: 'users:read', description: 'Old', createdAt: T });
        await repos.scopes.upsert({ name: 'users:read', description: 'New', createdAt: T + DAY });
        assert.deepEqual(await repos.scopes.find('users:read'), {
          name: 'users:read',
          description: 'New',
          createdAt: T,
        });
      });

      test('find of an unknown scope returns undefined; delete reports whether it existed', async () => {
        assert.equal(await repos.scopes.find('nope'), undefined);
        await repos.scopes.upsert({ name: 'profile', description: 'Name', createdAt: T });
        assert.equal(await repos.scopes.delete('profile', T), true);
        assert.equal(await repos.scopes.find('profile'), undefined);
        assert.equal(await repos.scopes.delete('profile', T), false);
      });

      test('a deleted scope stays deleted when configuration inserts it again; upsert restores it', async () => {
        await repos.scopes.upsert({ name: 'posts:read', description: 'Read posts', createdAt: T });
        await repos.scopes.delete('posts:read', T + MINUTE);
        assert.equal(
          await repos.scopes.insertMissing([
            { name: 'posts:read', description: 'Read posts', createdAt: T + DAY },
          ]),
          0,
        );
        assert.deepEqual(await repos.scopes.list(), []);
        await repos.scopes.upsert({ name: 'posts:read', description: 'Again', createdAt: T + DAY });
        assert.deepEqual(await repos.scopes.list(), [
          { name: 'posts:read', description: 'Again', createdAt: T + DAY },
        ]);
      });
    });

    describe('authorization codes', () => {
      test('insert then findByDigest returns every field', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const withPkce = codeRow(client.id, user.id);
        const plain = codeRow(client.id, user.id, {
          codeChallenge: null,
          codeChallengeMethod: null,
          nonce: null,
          scopes: [],
        });
        await repos.authorizationCodes.insert(withPkce);
        await repos.authorizationCodes.insert(plain);
        assert.deepEqual(await repos.authorizationCodes.findByDigest(withPkce.digest), withPkce);
        assert.deepEqual(await repos.authorizationCodes.findByDigest(plain.digest), plain);
        assert.equal(await repos.authorizationCodes.findByDigest(digest()), undefined);
      });

      test('20 concurrent consume calls give the code to exactly one caller', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const code = codeRow(client.id, user.id);
        await repos.authorizationCodes.insert(code);

        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            repos.authorizationCodes.consume(code.digest, T + 1000 + i),
          ),
        );
        const winners = results.filter((r) => r !== undefined);
        assert.equal(winners.length, 1);
        const winner = winners[0]!;
        assert.deepEqual({ ...winner, consumedAt: null }, code);
        assert.equal(typeof winner.consumedAt, 'number');
        assert.deepEqual(await repos.authorizationCodes.findByDigest(code.digest), winner);
      });

      test('consume of an already consumed or unknown code returns undefined', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const code = codeRow(client.id, user.id);
        await repos.authorizationCodes.insert(code);
        assert.deepEqual(await repos.authorizationCodes.consume(code.digest, T + 5), {
          ...code,
          consumedAt: T + 5,
        });
        assert.equal(await repos.authorizationCodes.consume(code.digest, T + 6), undefined);
        assert.equal(
          (await repos.authorizationCodes.findByDigest(code.digest))?.consumedAt,
          T + 5,
          'a losing consume does not move the consumption time',
        );
        assert.equal(await repos.authorizationCodes.consume(digest(), T), undefined);
      });

      test('markReplayed flags a code once and keeps the first time', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const code = codeRow(client.id, user.id);
        await repos.authorizationCodes.insert(code);
        await repos.authorizationCodes.markReplayed(code.id, T + 7);
        await repos.authorizationCodes.markReplayed(code.id, T + 9);
        assert.equal((await repos.authorizationCodes.findByDigest(code.digest))?.replayedAt, T + 7);
      });

      test('deleteExpired removes only codes that expired before the given time', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const expired = codeRow(client.id, user.id, { expiresAt: T - 1 });
        const expiring = codeRow(client.id, user.id, { expiresAt: T });
        const live = codeRow(client.id, user.id, { expiresAt: T + MINUTE });
        for (const code of [expired, expiring, live]) await repos.authorizationCodes.insert(code);

        assert.equal(await repos.authorizationCodes.deleteExpired(T), 1);
        assert.equal(await repos.authorizationCodes.findByDigest(expired.digest), undefined);
        assert.deepEqual(await repos.authorizationCodes.findByDigest(expiring.digest), expiring);
        assert.deepEqual(await repos.authorizationCodes.findByDigest(live.digest), live);
      });
    });

    describe('access tokens', () => {
      test('insert then findByJti returns every field, lists and nulls included', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const code = codeRow(client.id, user.id);
        await repos.authorizationCodes.insert(code);
        const family = familyRow(client.id, { userId: user.id });
        await repos.refreshTokens.insertFamily(family);
        const full = accessTokenRow(client.id, {
          kind: 'personal',
          userId: user.id,
          name: 'CI deploys',
          scopes: ['posts:*', '*:read'],
          authorizationCodeId: code.id,
          refreshFamilyId: family.id,
          revokedAt: T + 1,
        });
        const bare = accessTokenRow(client.id, { scopes: [] });
        await repos.accessTokens.insert(full);
        await repos.accessTokens.insert(bare);
        assert.deepEqual(await repos.accessTokens.findByJti(full.jti), full);
        assert.deepEqual(await repos.accessTokens.findByJti(bare.jti), bare);
        assert.equal(await repos.accessTokens.findByJti(newId()), undefined);
      });

      test('revoke marks one token once: true the first time, false after or when unknown', async () => {
        const client = await insertClient();
        const token = accessTokenRow(client.id);
        const other = accessTokenRow(client.id);
        await repos.accessTokens.insert(token);
        await repos.accessTokens.insert(other);

        assert.equal(await repos.accessTokens.revoke(token.jti, T + 1), true);
        assert.equal(await repos.accessTokens.revoke(token.jti, T + 2), false);
        assert.equal(await repos.accessTokens.revoke(newId(), T + 3), false);
        assert.equal((await repos.accessTokens.findByJti(token.jti))?.revokedAt, T + 1);
        assert.equal((await repos.accessTokens.findByJti(other.jti))?.revokedAt, null);
      });

      test('revokeByAuthorizationCode revokes only that code’s live tokens and counts them', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const code = codeRow(client.id, user.id);
        const otherCode = codeRow(client.id, user.id);
        await repos.authorizationCodes.insert(code);
        await repos.authorizationCodes.insert(otherCode);
        const a = accessTokenRow(client.id, { authorizationCodeId: code.id });
        const b = accessTokenRow(client.id, { authorizationCodeId: code.id });
        const already = accessTokenRow(client.id, {
          authorizationCodeId: code.id,
          revokedAt: T - 1,
        });
        const unrelated = accessTokenRow(client.id, { authorizationCodeId: otherCode.id });
        for (const t of [a, b, already, unrelated]) await repos.accessTokens.insert(t);

        assert.equal(await repos.accessTokens.revokeByAuthorizationCode(code.id, T + 9), 2);
        assert.equal((await repos.accessTokens.findByJti(a.jti))?.revokedAt, T + 9);
        assert.equal((await repos.accessTokens.findByJti(b.jti))?.revokedAt, T + 9);
        assert.equal((await repos.accessTokens.findByJti(already.jti))?.revokedAt, T - 1);
        assert.equal((await repos.accessTokens.findByJti(unrelated.jti))?.revokedAt, null);
        assert.equal(await repos.accessTokens.revokeByAuthorizationCode(code.id, T + 10), 0);
      });

      test('revokeByRefreshFamily revokes only that family’s live tokens and counts them', async () => {
        const client = await insertClient();
        const family = familyRow(client.id);
        const otherFamily = familyRow(client.id);
        await repos.refreshTokens.insertFamily(family);
        await repos.refreshTokens.insertFamily(otherFamily);
        const mine = accessTokenRow(client.id, { refreshFamilyId: family.id });
        const already = accessTokenRow(client.id, {
          refreshFamilyId: family.id,
          revokedAt: T - 1,
        });
        const theirs = accessTokenRow(client.id, { refreshFamilyId: otherFamily.id });
        const none = accessTokenRow(client.id);
        for (const t of [mine, already, theirs, none]) await repos.accessTokens.insert(t);

        assert.equal(await repos.accessTokens.revokeByRefreshFamily(family.id, T + 9), 1);
        assert.equal((await repos.accessTokens.findByJti(mine.jti))?.revokedAt, T + 9);
        assert.equal((await repos.accessTokens.findByJti(already.jti))?.revokedAt, T - 1);
        assert.equal((await repos.accessTokens.findByJti(theirs.jti))?.revokedAt, null);
        assert.equal((await repos.accessTokens.findByJti(none.jti))?.revokedAt, null);
      });

      test('revokeByClient revokes only that client’s live tokens and counts them', async () => {
        const client = await insertClient();
        const otherClient = await insertClient();
        const mine = [accessTokenRow(client.id), accessTokenRow(client.id, { kind: 'personal' })];
        const already = accessTokenRow(client.id, { revokedAt: T - 1 });
        const theirs = accessTokenRow(otherClient.id);
        for (const t of [...mine, already, theirs]) await repos.accessTokens.insert(t);

        assert.equal(await repos.accessTokens.revokeByClient(client.id, T + 9), 2);
        for (const t of mine) {
          assert.equal((await repos.accessTokens.findByJti(t.jti))?.revokedAt, T + 9);
        }
        assert.equal((await repos.accessTokens.findByJti(already.jti))?.revokedAt, T - 1);
        assert.equal((await repos.accessTokens.findByJti(theirs.jti))?.revokedAt, null);
        assert.equal(await repos.accessTokens.revokeByClient(newId(), T + 9), 0);
      });

      test('listPersonal returns the user’s live personal tokens, newest first', async () => {
        const user = await insertUser();
        const otherUser = await insertUser();
        const client = await insertClient({ kind: 'personal_access', grantTypes: [] });
        const personal = (overrides: Partial<AccessTokenRecord> = {}) =>
          accessTokenRow(client.id, {
            kind: 'personal',
            userId: user.id,
            name: 'laptop',
            expiresAt: T + DAY,
            ...overrides,
          });
        const older = personal({ name: 'older' });
        const newer = personal({ name: 'newer' });
        const excluded = [
          personal({ revokedAt: T - 1 }),
          personal({ expiresAt: T }),
          personal({ expiresAt: T - 1 }),
          personal({ kind: 'access' }),
          personal({ userId: otherUser.id }),
        ];
        for (const t of [older, ...excluded, newer]) await repos.accessTokens.insert(t);

        assert.deepEqual(await repos.accessTokens.listPersonal(user.id, T), [newer, older]);
        assert.deepEqual(await repos.accessTokens.listPersonal(newId(), T), []);
      });

      test('listByClient returns the newest tokens of the client, revoked and expired included', async () => {
        const client = await insertClient();
        const otherClient = await insertClient();
        const first = accessTokenRow(client.id, { revokedAt: T });
        const second = accessTokenRow(client.id, { expiresAt: T - DAY, grantType: null });
        const third = accessTokenRow(client.id, { grantType: 'personal_access' });
        await repos.accessTokens.insert(first);
        await repos.accessTokens.insert(second);
        await repos.accessTokens.insert(third);
        await repos.accessTokens.insert(accessTokenRow(otherClient.id));
        assert.deepEqual(await repos.accessTokens.listByClient(client.id, 10), [
          third,
          second,
          first,
        ]);
        assert.deepEqual(await repos.accessTokens.listByClient(client.id, 2), [third, second]);
      });
    });

    describe('refresh tokens', () => {
      test('insertFamily then findFamily returns every field, nulls included', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const code = codeRow(client.id, user.id);
        await repos.authorizationCodes.insert(code);
        const full = familyRow(client.id, {
          userId: user.id,
          scopes: ['openid', 'posts:*'],
          authorizationCodeId: code.id,
          authTime: T - MINUTE,
          nonce: 'abc',
          revokedAt: T + 1,
        });
        const bare = familyRow(client.id, { scopes: [] });
        await repos.refreshTokens.insertFamily(full);
        await repos.refreshTokens.insertFamily(bare);
        assert.deepEqual(await repos.refreshTokens.findFamily(full.id), full);
        assert.deepEqual(await repos.refreshTokens.findFamily(bare.id), bare);
        assert.equal(await repos.refreshTokens.findFamily(newId()), undefined);
      });

      test('insert then findByDigest returns every field', async () => {
        const client = await insertClient();
        const family = familyRow(client.id);
        await repos.refreshTokens.insertFamily(family);
        const token = refreshTokenRow(family.id, { scopes: ['openid'] });
        const rotated = refreshTokenRow(family.id, { consumedAt: T + 1 });
        await repos.refreshTokens.insert(token);
        await repos.refreshTokens.insert(rotated);
        assert.deepEqual(await repos.refreshTokens.findByDigest(token.digest), token);
        assert.deepEqual(await repos.refreshTokens.findByDigest(rotated.digest), rotated);
        assert.equal(await repos.refreshTokens.findByDigest(digest()), undefined);
      });

      test('a refresh token in a family that does not exist is rejected', async () => {
        await assert.rejects(repos.refreshTokens.insert(refreshTokenRow(newId())));
      });

      test('20 concurrent consume calls rotate the token for exactly one caller', async () => {
        const client = await insertClient();
        const family = familyRow(client.id);
        await repos.refreshTokens.insertFamily(family);
        const token = refreshTokenRow(family.id);
        await repos.refreshTokens.insert(token);

        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => repos.refreshTokens.consume(token.digest, T + i)),
        );
        const winners = results.filter((r) => r !== undefined);
        assert.equal(winners.length, 1);
        const winner = winners[0]!;
        assert.deepEqual({ ...winner, consumedAt: null }, token);
        assert.equal(typeof winner.consumedAt, 'number');
        assert.deepEqual(await repos.refreshTokens.findByDigest(token.digest), winner);
      });

      test('consume of an already rotated or unknown token returns undefined', async () => {
        const client = await insertClient();
        const family = familyRow(client.id);
        await repos.refreshTokens.insertFamily(family);
        const token = refreshTokenRow(family.id);
        await repos.refreshTokens.insert(token);

        assert.deepEqual(await repos.refreshTokens.consume(token.digest, T + 5), {
          ...token,
          consumedAt: T + 5,
        });
        assert.equal(await repos.refreshTokens.consume(token.digest, T + 6), undefined);
        assert.equal((await repos.refreshTokens.findByDigest(token.digest))?.consumedAt, T + 5);
        assert.equal(await repos.refreshTokens.consume(digest(), T), undefined);
      });

      test('revokeFamily revokes once: true the first time, false after or when unknown', async () => {
        const client = await insertClient();
        const family = familyRow(client.id);
        const other = familyRow(client.id);
        await repos.refreshTokens.insertFamily(family);
        await repos.refreshTokens.insertFamily(other);

        assert.equal(await repos.refreshTokens.revokeFamily(family.id, T + 1), true);
        assert.equal(await repos.refreshTokens.revokeFamily(family.id, T + 2), false);
        assert.equal(await repos.refreshTokens.revokeFamily(newId(), T + 3), false);
        assert.equal((await repos.refreshTokens.findFamily(family.id))?.revokedAt, T + 1);
        assert.equal((await repos.refreshTokens.findFamily(other.id))?.revokedAt, null);
      });

      test('revokeFamiliesByAuthorizationCode revokes the code’s live families and returns their ids', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const code = codeRow(client.id, user.id);
        const otherCode = codeRow(client.id, user.id);
        await repos.authorizationCodes.insert(code);
        await repos.authorizationCodes.insert(otherCode);
        const born = [
          familyRow(client.id, { authorizationCodeId: code.id }),
          familyRow(client.id, { authorizationCodeId: code.id }),
        ];
        const already = familyRow(client.id, { authorizationCodeId: code.id, revokedAt: T - 1 });
        const unrelated = familyRow(client.id, { authorizationCodeId: otherCode.id });
        for (const f of [...born, already, unrelated]) await repos.refreshTokens.insertFamily(f);

        const ids = await repos.refreshTokens.revokeFamiliesByAuthorizationCode(code.id, T + 9);
        assert.deepEqual([...ids].sort(), born.map((f) => f.id).sort());
        for (const f of born) {
          assert.equal((await repos.refreshTokens.findFamily(f.id))?.revokedAt, T + 9);
        }
        assert.equal((await repos.refreshTokens.findFamily(already.id))?.revokedAt, T - 1);
        assert.equal((await repos.refreshTokens.findFamily(unrelated.id))?.revokedAt, null);
        assert.deepEqual(
          await repos.refreshTokens.revokeFamiliesByAuthorizationCode(code.id, T + 10),
          [],
        );
      });

      test('revokeFamiliesByClient revokes only that client’s live families and counts them', async () => {
        const client = await insertClient();
        const otherClient = await insertClient();
        const mine = [familyRow(client.id), familyRow(client.id)];
        const already = familyRow(client.id, { revokedAt: T - 1 });
        const theirs = familyRow(otherClient.id);
        for (const f of [...mine, already, theirs]) await repos.refreshTokens.insertFamily(f);

        assert.equal(await repos.refreshTokens.revokeFamiliesByClient(client.id, T + 9), 2);
        for (const f of mine) {
          assert.equal((await repos.refreshTokens.findFamily(f.id))?.revokedAt, T + 9);
        }
        assert.equal((await repos.refreshTokens.findFamily(already.id))?.revokedAt, T - 1);
        assert.equal((await repos.refreshTokens.findFamily(theirs.id))?.revokedAt, null);
      });
    });

    describe('signing keys', () => {
      test('insert then find returns every field, the public JWK included', async () => {
        const active = signingKeyRow();
        const retired = signingKeyRow({
          alg: 'RS256',
          publicJwk: { kty: 'RSA', n: 'sXch', e: 'AQAB', kid: 'r1' },
          status: 'retired',
          retiredAt: T + 1,
          verifyUntil: T + DAY,
        });
        await repos.signingKeys.insert(active);
        await repos.signingKeys.insert(retired);
        assert.deepEqual(await repos.signingKeys.find(active.kid), active);
        assert.deepEqual(await repos.signingKeys.find(retired.kid), retired);
        assert.equal(await repos.signingKeys.find('unknown'), undefined);
      });

      test('list returns every key, newest first', async () => {
        const oldest = signingKeyRow({ createdAt: T - 2 * DAY, status: 'retired' });
        const newest = signingKeyRow({ createdAt: T });
        const middle = signingKeyRow({ createdAt: T - DAY, status: 'retired' });
        for (const k of [oldest, newest, middle]) await repos.signingKeys.insert(k);
        assert.deepEqual(await repos.signingKeys.list(), [newest, middle, oldest]);
      });

      test('retireOthers retires every other active key with a verify-until time', async () => {
        const current = signingKeyRow({ createdAt: T });
        const previous = signingKeyRow({ createdAt: T - DAY });
        const older = signingKeyRow({ createdAt: T - 2 * DAY });
        const alreadyRetired = signingKeyRow({
          createdAt: T - 3 * DAY,
          status: 'retired',
          retiredAt: T - DAY,
          verifyUntil: T + MINUTE,
        });
        for (const k of [current, previous, older, alreadyRetired]) {
          await repos.signingKeys.insert(k);
        }

        assert.equal(await repos.signingKeys.retireOthers(current.kid, T + 1, T + DAY), 2);
        assert.deepEqual(await repos.signingKeys.find(current.kid), current);
        for (const k of [previous, older]) {
          assert.deepEqual(await repos.signingKeys.find(k.kid), {
            ...k,
            status: 'retired',
            retiredAt: T + 1,
            verifyUntil: T + DAY,
          });
        }
        assert.deepEqual(await repos.signingKeys.find(alreadyRetired.kid), alreadyRetired);
        assert.equal(await repos.signingKeys.retireOthers(current.kid, T + 2, T + DAY), 0);
      });

      test('activate makes a retired key active again and clears its retirement', async () => {
        const key = signingKeyRow({ status: 'retired', retiredAt: T, verifyUntil: T + DAY });
        await repos.signingKeys.insert(key);
        await repos.signingKeys.activate(key.kid);
        assert.deepEqual(await repos.signingKeys.find(key.kid), {
          ...key,
          status: 'active',
          retiredAt: null,
          verifyUntil: null,
        });
      });

      test('deleteExpired deletes only retired keys whose verify-until has passed', async () => {
        const expired = signingKeyRow({
          status: 'retired',
          retiredAt: T - DAY,
          verifyUntil: T - 1,
        });
        const stillVerifying = signingKeyRow({
          status: 'retired',
          retiredAt: T - DAY,
          verifyUntil: T + 1,
        });
        const active = signingKeyRow({ createdAt: T - 10 * DAY });
        for (const k of [expired, stillVerifying, active]) await repos.signingKeys.insert(k);

        assert.equal(await repos.signingKeys.deleteExpired(T), 1);
        assert.equal(await repos.signingKeys.find(expired.kid), undefined);
        assert.deepEqual(await repos.signingKeys.find(stillVerifying.kid), stillVerifying);
        assert.deepEqual(await repos.signingKeys.find(active.kid), active);
      });
    });

    describe('consents', () => {
      test('upsert stores a consent and find returns it', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const consent = {
          userId: user.id,
          clientId: client.id,
          scopes: ['openid', 'profile'],
          createdAt: T,
          updatedAt: T,
        };
        await repos.consents.upsert(consent);
        assert.deepEqual(await repos.consents.find(user.id, client.id), consent);
        assert.equal(await repos.consents.find(user.id, newId()), undefined);
      });

      test('a second upsert replaces the scopes and keeps the creation time', async () => {
        const user = await insertUser();
        const client = await insertClient();
        const otherClient = await insertClient();
        const base = { userId: user.id, scopes: ['openid', 'profile'], createdAt: T, updatedAt: T };
        await repos.consents.upsert({ ...base, clientId: client.id });
        await repos.consents.upsert({ ...base, clientId: otherClient.id });
        await repos.consents.upsert({
          ...base,
          clientId: client.id,
          scopes: ['email'],
          createdAt: T + DAY,
          updatedAt: T + DAY,
        });
        assert.deepEqual(await repos.consents.find(user.id, client.id), {
          userId: user.id,
          clientId: client.id,
          scopes: ['email'],
          createdAt: T,
          updatedAt: T + DAY,
        });
        assert.deepEqual(await repos.consents.find(user.id, otherClient.id), {
          ...base,
          clientId: otherClient.id,
        });
      });

      test('delete removes the consent and reports whether it existed', async () => {
        const user = await insertUser();
        const client = await insertClient();
        await repos.consents.upsert({
          userId: user.id,
          clientId: client.id,
          scopes: [],
          createdAt: T,
          updatedAt: T,
        });
        assert.equal(await repos.consents.delete(user.id, client.id), true);
        assert.equal(await repos.consents.find(user.id, client.id), undefined);
        assert.equal(await repos.consents.delete(user.id, client.id), false);
      });
    });

    describe('login sessions', () => {
      test('insert then findByDigest returns every field; delete removes it', async () => {
        const user = await insertUser();
        const session = sessionRow(user.id);
        const other = sessionRow(user.id);
        await repos.loginSessions.insert(session);
        await repos.loginSessions.insert(other);
        assert.deepEqual(await repos.loginSessions.findByDigest(session.digest), session);

        await repos.loginSessions.delete(session.id);
        assert.equal(await repos.loginSessions.findByDigest(session.digest), undefined);
        assert.deepEqual(await repos.loginSessions.findByDigest(other.digest), other);
      });

      test('clearRequestDigest forgets the request of one session only', async () => {
        const user = await insertUser();
        const session = sessionRow(user.id);
        const other = sessionRow(user.id);
        await repos.loginSessions.insert(session);
        await repos.loginSessions.insert(other);
        await repos.loginSessions.clearRequestDigest(session.id);
        assert.deepEqual(await repos.loginSessions.findByDigest(session.digest), {
          ...session,
          requestDigest: null,
        });
        assert.deepEqual(await repos.loginSessions.findByDigest(other.digest), other);
      });

      test('a session for a user that does not exist is rejected', async () => {
        await assert.rejects(repos.loginSessions.insert(sessionRow(newId())));
      });
    });

    describe('stored times', () => {
      test('epoch-millisecond times come back as numbers, not strings or bigints', async () => {
        const user = await insertUser({ disabledAt: T + 123 });
        const client = await insertClient({ revokedAt: T + 456 });
        const token = accessTokenRow(client.id, { expiresAt: 8_640_000_000_000 });
        await repos.accessTokens.insert(token);

        const storedUser = await repos.users.findById(user.id);
        const storedClient = await repos.clients.findById(client.id);
        const storedToken = await repos.accessTokens.findByJti(token.jti);
        const times = [
          storedUser?.createdAt,
          storedUser?.disabledAt,
          storedClient?.revokedAt,
          storedClient?.updatedAt,
          storedToken?.expiresAt,
        ];
        for (const time of times) assert.equal(typeof time, 'number');
        assert.deepEqual(times, [T - 2 * DAY, T + 123, T + 456, T, 8_640_000_000_000]);
      });
    });
  });
}
