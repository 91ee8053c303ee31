import type { Kysely } from 'kysely';
import type { Repositories } from '../../core/context.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { cachedApiKeys, cachedClients, cachedGrants, cachedScopes } from './cached.js';
import { apiKeyRepository, apiKeyUsageRepository } from './api-keys.js';
import { localCacheBus, type CacheBus } from '../cache-bus.js';
import type { Database } from '../schema.js';
import type { RevokedAccessToken } from '../../core/tokens/revocation-list.js';
import { accessTokenRepository } from './access-tokens.js';
import { authorizationCodeRepository } from './authorization-codes.js';
import { clientRepository } from './clients.js';
import { consentRepository } from './consents.js';
import { loginSessionRepository } from './login-sessions.js';
import { maintenanceRepository } from './maintenance.js';
import { refreshTokenRepository } from './refresh-tokens.js';
import { scopeRepository } from './scopes.js';
import { signingKeyRepository } from './signing-keys.js';
import { userRepository } from './users.js';
import { rbacRepository } from './rbac.js';
import { accountTokenRepository } from './account-tokens.js';
import { organizationRepository } from './organizations.js';

export interface RepositoryOptions {
  clock?: Clock;
  /** How long a client or the scope list may be served from memory (0: no cache). */
  cacheTtlMs?: number;
  /** Carries evictions to other processes (Redis); this process only by default. */
  cacheBus?: CacheBus;
  /** The API-key LRU: entries and how long one is trusted (default: no cache). */
  apiKeyCache?: { maxEntries: number; ttlMs: number };
  /** Told of every revoked access token (the Redis deny-list for resource-server guards). */
  onAccessTokensRevoked?: (tokens: RevokedAccessToken[]) => Promise<void>;
}

/** Every repository over one Kysely instance (SQLite or PostgreSQL). */
export function createRepositories(
  db: Kysely<Database>,
  options: RepositoryOptions = {},
): Repositories {
  const clock = options.clock ?? systemClock;
  const ttl = options.cacheTtlMs ?? 0;
  const bus = options.cacheBus ?? localCacheBus();
  return {
    clients: ttl > 0 ? cachedClients(clientRepository(db), clock, ttl, bus) : clientRepository(db),
    users: userRepository(db),
    scopes: ttl > 0 ? cachedScopes(scopeRepository(db), clock, ttl, bus) : scopeRepository(db),
    authorizationCodes: authorizationCodeRepository(db),
    accessTokens: accessTokenRepository(db, options.onAccessTokensRevoked),
    refreshTokens: refreshTokenRepository(db),
    signingKeys: signingKeyRepository(db),
    consents: consentRepository(db),
    loginSessions: loginSessionRepository(db),
    maintenance: maintenanceRepository(db),
    apiKeys:
      options.apiKeyCache && options.apiKeyCache.maxEntries > 0
        ? cachedApiKeys(
            apiKeyRepository(db),
            clock,
            options.apiKeyCache.ttlMs,
            options.apiKeyCache.maxEntries,
            bus,
          )
        : apiKeyRepository(db),
    apiKeyUsage: apiKeyUsageRepository(db),
    rbac: ttl > 0 ? cachedGrants(rbacRepository(db), clock, ttl, bus) : rbacRepository(db),
    accountTokens: accountTokenRepository(db),
    organizations: organizationRepository(db),
  };
}
