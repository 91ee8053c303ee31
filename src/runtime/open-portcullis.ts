import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.js';
import type { CoreContext } from '../core/context.js';
import { systemClock, type Clock } from '../core/clock.js';
import { KeyRing } from '../core/keys/key-ring.js';
import type { UserClaimsSource } from '../core/users/user.js';
import { rbacUserClaims } from '../core/rbac/user-claims.js';
import { createMailer } from '../store/mailer.js';
import type { Mailer } from '../core/accounts/mailer.js';
import { MailQueue, type MailFailure } from '../core/accounts/mail-queue.js';
import { ensureAdminRole } from '../core/rbac/manage-roles.js';
import { createLoginThrottle, memoryLoginLimiters } from '../core/ratelimit/login-throttle.js';
import { syncConfiguredScopes } from '../core/scopes/sync-scopes.js';
import { ensurePersonalAccessClient } from '../core/tokens/personal-access-tokens.js';
import { openDatabase, type DialectName, type OpenDatabaseOptions } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { createRepositories } from '../store/repositories/index.js';
import { loadOrCreateSigningKey, readKeyFile } from '../store/key-files.js';
import type { Database } from '../store/schema.js';
import type { Redis } from 'ioredis';
import { connectRedis, connectSubscriber } from '../store/redis.js';
import { redisCacheBus, type CacheBus } from '../store/cache-bus.js';
import { redisLoginLimiters } from '../store/redis-login-limiters.js';
import { redisLimiterFactory } from '../store/redis-api-key-limits.js';
import { redisRevocationList } from '../store/redis-revocation-list.js';
import type { RevokedAccessToken } from '../core/tokens/revocation-list.js';
import { createApiKeyRateLimiter, memoryLimiterFactory } from '../core/ratelimit/api-key-limits.js';
import { createMailLimiter } from '../core/ratelimit/mail-limits.js';
import { ApiKeyUsageRecorder } from '../core/apikeys/usage-recorder.js';

export interface Portcullis {
  ctx: CoreContext;
  db: Kysely<Database>;
  dialect: DialectName;
  databaseLocation: string;
  /** Migrations applied by this start. */
  migrated: string[];
  /** Where the signing key came from; `none` when opened without one (`signing: false`). */
  keySource: string;
  keyCreated: boolean;
  /** The Redis connection when `redisUrl` is set. */
  redis: Redis | undefined;
  close(): Promise<void>;
}

export interface OpenPortcullisOptions extends OpenDatabaseOptions {
  clock?: Clock;
  userClaims?: UserClaimsSource;
  /** Where mail goes (default: SMTP when `smtpUrl` is set, else files in storage/mail). */
  mailer?: Mailer;
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /**
   * Add the configured scopes and the personal access client when missing (default true).
   * Diagnostics (`health`, `status`) open without, to report the database as it is.
   */
  prepare?: boolean;
  /**
   * Load (or create) and register the signing key (default true). Administration (the CLI)
   * opens without: registering a key retires every other, so a CLI run from another folder
   * would otherwise retire the running servers' key.
   */
  signing?: boolean;
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
  const redis = config.redisUrl ? openRedis(config.redisUrl) : undefined;
  const mailQueue = new MailQueue(
    options.mailer ??
      createMailer({
        smtpUrl: config.smtpUrl,
        from: config.mailFrom,
        storageDir: config.storageDir,
        clock,
      }),
    reportMailFailure,
  );
  const closeAll = async () => {
    // Queued mail is composed from the database: send it before the database closes.
    await mailQueue.drained();
    await redis?.close();
    await db.destroy();
  };
  try {
    const migrated = options.migrate === false ? [] : await migrateToLatest(db, { schema });
    // Changes made by another process are seen at once through Redis, or within a second.
    const repos = createRepositories(db, {
      clock,
      cacheTtlMs: 1000,
      ...(redis ? { cacheBus: redis.bus } : {}),
      apiKeyCache: {
        maxEntries: config.apiKeys.cacheSize,
        ttlMs: config.apiKeys.cacheTtlSeconds * 1000,
      },
      ...(redis ? { onAccessTokensRevoked: denyListWriter(redis.client, clock) } : {}),
    });
    const signing = options.signing !== false;
    const key = signing
      ? await loadOrCreateSigningKey({
          storageDir: config.storageDir,
          algorithm: config.signingAlgorithm,
          privateKeyPem: config.privateKeyPem,
        })
      : { material: undefined, created: false, source: 'none' };
    const keys = new KeyRing(
      repos.signingKeys,
      clock,
      key.material,
      signing && !config.privateKeyPem ? () => readKeyFile(config.storageDir) : undefined,
    );
    if (signing) await keys.register(clock.now() + longestTokenLifetimeMs(config));
    else await keys.reload();
    // Rate-limit counters: shared by every node through Redis when there is one.
    const limiterFactory = redis ? redisLimiterFactory(redis.client) : memoryLimiterFactory;
    const ctx: CoreContext = {
      config,
      clock,
      repos,
      keys,
      userClaims: options.userClaims ?? rbacUserClaims(repos.rbac, repos.organizations),
      apiKeyLimiter: createApiKeyRateLimiter(
        { live: config.apiKeys.tiers, test: config.apiKeys.testTiers },
        config.apiKeys.defaultTier,
        limiterFactory,
      ),
      apiKeyUsage: new ApiKeyUsageRecorder(repos.apiKeyUsage, clock),
      mailQueue,
      mailLimiter: createMailLimiter(config.mailThrottle, limiterFactory),
      loginThrottle: createLoginThrottle(
        redis
          ? redisLoginLimiters(redis.client, config.loginThrottle)
          : memoryLoginLimiters(config.loginThrottle),
      ),
    };
    if (options.prepare !== false) {
      await syncConfiguredScopes(ctx);
      await ensurePersonalAccessClient(ctx);
      await ensureAdminRole(ctx);
    }
    return {
      ctx,
      db,
      dialect,
      databaseLocation: location,
      migrated,
      keySource: key.source,
      keyCreated: key.created,
      redis: redis?.client,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * A mail that could not be sent is reported as a process warning (in the logs) with its purpose
 * and the error's message only: the body holds a live token, and the recipient is not needed to
 * see that the transport is failing.
 */
function reportMailFailure({ purpose, error }: MailFailure): void {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.emitWarning(`could not send the ${purpose} mail: ${reason}`, 'PortcullisWarning');
}

/**
 * Writes revoked tokens to the Redis deny-list. The revocation in the database stands when Redis
 * is down: guards that check the list then miss it until the token expires, which is why the
 * failure is reported as a process warning (in the logs) rather than swallowed.
 */
function denyListWriter(client: Redis, clock: Clock) {
  const list = redisRevocationList(client, clock);
  return (tokens: RevokedAccessToken[]) =>
    list.add(tokens).catch((error: unknown) => {
      process.emitWarning(
        `could not add ${tokens.length} revoked token(s) to the Redis deny-list: ${String(error)}`,
        'PortcullisWarning',
      );
    });
}

function openRedis(url: string): { client: Redis; bus: CacheBus; close(): Promise<void> } {
  const client = connectRedis(url);
  const subscriber = connectSubscriber(url);
  // ioredis reports connection errors as events; unhandled they would crash the process.
  // An outage is expected and survivable: the fallbacks take over, /health reports it.
  client.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  const bus = redisCacheBus(client, subscriber);
  return {
    client,
    bus,
    async close() {
      await bus.close();
      client.disconnect();
    },
  };
}

/** How long a retired key must stay verifiable: the longest life of a token it signed. */
export function longestTokenLifetimeMs(config: Config): number {
  return Math.max(
    config.accessTokenExpireMinutes * 60_000,
    config.idTokenExpireMinutes * 60_000,
    config.personalAccessTokenExpireDays * 86_400_000,
  );
}
