import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.js';
import type { CoreContext } from '../core/context.js';
import { systemClock, type Clock } from '../core/clock.js';
import { KeyRing } from '../core/keys/key-ring.js';
import { noUserClaims, type UserClaimsSource } from '../core/users/user.js';
import { createLoginThrottle, memoryLoginLimiters } from '../core/ratelimit/login-throttle.js';
import { syncConfiguredScopes } from '../core/scopes/sync-scopes.js';
import { ensurePersonalAccessClient } from '../core/tokens/personal-access-tokens.js';
import { openDatabase, type DialectName, type OpenDatabaseOptions } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { createRepositories } from '../store/repositories/index.js';
import { loadOrCreateSigningKey } from '../store/key-files.js';
import type { Database } from '../store/schema.js';

export interface Portcullis {
  ctx: CoreContext;
  db: Kysely<Database>;
  dialect: DialectName;
  databaseLocation: string;
  /** Migrations applied by this start. */
  migrated: string[];
  keySource: string;
  keyCreated: boolean;
  close(): Promise<void>;
}

export interface OpenPortcullisOptions extends OpenDatabaseOptions {
  clock?: Clock;
  userClaims?: UserClaimsSource;
  /** Run pending migrations (default true). */
  migrate?: boolean;
}

/**
 * Everything a server, the CLI or a test needs: database open and migrated, signing key
 * loaded (generated on first start), configured scopes and the personal access client present.
 */
export async function openPortcullis(
  config: Config,
  options: OpenPortcullisOptions = {},
): Promise<Portcullis> {
  const clock = options.clock ?? systemClock;
  const { db, dialect, location, schema } = openDatabase(config.databaseUrl, options);
  try {
    const migrated = options.migrate === false ? [] : await migrateToLatest(db, { schema });
    // Changes made elsewhere (CLI, other nodes) are seen within a second.
    const repos = createRepositories(db, { clock, cacheTtlMs: 1000 });
    const key = await loadOrCreateSigningKey({
      storageDir: config.storageDir,
      algorithm: config.signingAlgorithm,
      privateKeyPem: config.privateKeyPem,
    });
    const keys = new KeyRing(repos.signingKeys, clock, key.material);
    await keys.register(clock.now() + longestTokenLifetimeMs(config));
    const ctx: CoreContext = {
      config,
      clock,
      repos,
      keys,
      userClaims: options.userClaims ?? noUserClaims,
      loginThrottle: createLoginThrottle(memoryLoginLimiters(config.loginThrottle)),
    };
    await syncConfiguredScopes(ctx);
    await ensurePersonalAccessClient(ctx);
    return {
      ctx,
      db,
      dialect,
      databaseLocation: location,
      migrated,
      keySource: key.source,
      keyCreated: key.created,
      close: () => db.destroy(),
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** How long a retired key must stay verifiable: the longest life of a token it signed. */
export function longestTokenLifetimeMs(config: Config): number {
  return Math.max(
    config.accessTokenExpireMinutes * 60_000,
    config.idTokenExpireMinutes * 60_000,
    config.personalAccessTokenExpireDays * 86_400_000,
  );
}
