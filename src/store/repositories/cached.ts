import type { Clock } from '../../core/clock.js';
import type { ClientRepository } from '../../core/clients/client.js';
import type { ScopeRepository } from '../../core/scopes/scope.js';
import type { CacheBus } from '../cache-bus.js';
import type { ApiKey, ApiKeyRepository } from '../../core/apikeys/api-key.js';
import type { RbacRepository, UserGrants } from '../../core/rbac/rbac.js';

type CachedClient = Awaited<ReturnType<ClientRepository['findById']>>;
const MAX_CLIENTS = 10_000;

/**
 * Read-through caches for the two lookups every token request makes. A write through any
 * process evicts the entry everywhere the bus reaches (all nodes, with Redis); what the bus
 * misses is seen within `ttlMs` — the one-second bound DESIGN.md promises for revocations.
 */
export function cachedClients(
  inner: ClientRepository,
  clock: Clock,
  ttlMs: number,
  bus: CacheBus,
): ClientRepository {
  const entries = new Map<string, { value: CachedClient; until: number }>();
  bus.subscribe((key) => {
    if (key.startsWith('client:')) entries.delete(key.slice('client:'.length));
  });
  const changed = (id: string) => bus.publish(`client:${id}`);
  return {
    ...inner,
    async findById(id) {
      const now = clock.now();
      const hit = entries.get(id);
      if (hit && hit.until > now) return hit.value;
      const value = await inner.findById(id);
      if (entries.size >= MAX_CLIENTS) entries.clear();
      entries.set(id, { value, until: now + ttlMs });
      return value;
    },
    async insert(client) {
      await inner.insert(client);
      changed(client.id);
    },
    async update(id, patch) {
      const updated = await inner.update(id, patch);
      changed(id);
      return updated;
    },
    async delete(id) {
      const deleted = await inner.delete(id);
      changed(id);
      return deleted;
    },
  };
}

export function cachedScopes(
  inner: ScopeRepository,
  clock: Clock,
  ttlMs: number,
  bus: CacheBus,
): ScopeRepository {
  let cached: { value: Awaited<ReturnType<ScopeRepository['list']>>; until: number } | undefined;
  bus.subscribe((key) => {
    if (key === 'scopes') cached = undefined;
  });
  const changed = <T>(result: T): T => {
    bus.publish('scopes');
    return result;
  };
  return {
    ...inner,
    async list() {
      const now = clock.now();
      if (cached && cached.until > now) return cached.value;
      const value = await inner.list();
      cached = { value, until: now + ttlMs };
      return value;
    },
    insertMissing: async (scopes) => changed(await inner.insertMissing(scopes)),
    upsert: async (scope) => changed(await inner.upsert(scope)),
    delete: async (name, now) => changed(await inner.delete(name, now)),
  };
}

/**
 * An LRU of verified keys by their SHA-256 digest (never by the key itself): the fast path of
 * API-key authentication. Changes through this process evict at once; with Redis every process
 * is told; anything else is seen within `ttlMs`. Unknown digests are not cached, so a flood of
 * made-up keys cannot push real ones out.
 */
export function cachedApiKeys(
  inner: ApiKeyRepository,
  clock: Clock,
  ttlMs: number,
  maxEntries: number,
  bus: CacheBus,
): ApiKeyRepository {
  const byDigest = new Map<string, { value: ApiKey; until: number }>();
  const digestOf = new Map<string, string>();
  const evict = (id: string) => {
    const digest = digestOf.get(id);
    if (digest !== undefined) byDigest.delete(digest);
    digestOf.delete(id);
  };
  bus.subscribe((key) => {
    if (key.startsWith('api-key:')) evict(key.slice('api-key:'.length));
  });
  const changed = (id: string) => bus.publish(`api-key:${id}`);
  const cachedByDigest = (digest: string, now: number): ApiKey | undefined => {
    const hit = byDigest.get(digest);
    if (hit === undefined || hit.until <= now) return undefined;
    // Most recently used last: the first entry is the one to evict.
    byDigest.delete(digest);
    byDigest.set(digest, hit);
    return hit.value;
  };
  return {
    ...inner,
    findCachedByDigest: cachedByDigest,
    async findByDigest(digest) {
      const now = clock.now();
      const hit = cachedByDigest(digest, now);
      if (hit) return hit;
      const value = await inner.findByDigest(digest);
      if (!value) return value;
      if (byDigest.size >= maxEntries) {
        const oldest = byDigest.keys().next().value;
        if (oldest !== undefined) {
          digestOf.delete(byDigest.get(oldest)!.value.id);
          byDigest.delete(oldest);
        }
      }
      byDigest.set(digest, { value, until: now + ttlMs });
      digestOf.set(value.id, digest);
      return value;
    },
    async update(id, patch) {
      const updated = await inner.update(id, patch);
      changed(id);
      return updated;
    },
    async markRotated(id, replacedBy, now, graceUntil) {
      const done = await inner.markRotated(id, replacedBy, now, graceUntil);
      changed(id);
      return done;
    },
  };
}

const MAX_GRANT_ENTRIES = 10_000;

/**
 * Users' grants, cached by user id: an API key is bounded by its owner's grants on every
 * request. A grant or revocation evicts that user everywhere the bus reaches; a change to a
 * role's definition (or its deletion) evicts everyone; what the bus misses is seen within `ttlMs`.
 */
export function cachedGrants(
  inner: RbacRepository,
  clock: Clock,
  ttlMs: number,
  bus: CacheBus,
): RbacRepository {
  const entries = new Map<string, { value: UserGrants; until: number }>();
  bus.subscribe((key) => {
    if (key === 'grants:*') entries.clear();
    else if (key.startsWith('grants:')) entries.delete(key.slice('grants:'.length));
  });
  const userChanged = <T>(userId: string, result: T): T => {
    bus.publish(`grants:${userId}`);
    return result;
  };
  const everyoneChanged = <T>(result: T): T => {
    bus.publish('grants:*');
    return result;
  };
  return {
    ...inner,
    findCachedGrants(userId, now) {
      const hit = entries.get(userId);
      return hit !== undefined && hit.until > now ? hit.value : undefined;
    },
    async grantsOf(userId) {
      const now = clock.now();
      const hit = entries.get(userId);
      if (hit !== undefined && hit.until > now) return hit.value;
      const value = await inner.grantsOf(userId);
      if (entries.size >= MAX_GRANT_ENTRIES) entries.clear();
      entries.set(userId, { value, until: now + ttlMs });
      return value;
    },
    updateRole: async (name, patch, now) =>
      everyoneChanged(await inner.updateRole(name, patch, now)),
    deleteRole: async (name) => everyoneChanged(await inner.deleteRole(name)),
    grantRole: async (userId, roleId, org, now) =>
      userChanged(userId, await inner.grantRole(userId, roleId, org, now)),
    revokeRole: async (userId, roleId, org) =>
      userChanged(userId, await inner.revokeRole(userId, roleId, org)),
    grantPermission: async (userId, permission, org, now) =>
      userChanged(userId, await inner.grantPermission(userId, permission, org, now)),
    revokePermission: async (userId, permission, org) =>
      userChanged(userId, await inner.revokePermission(userId, permission, org)),
    revokeOrganizationGrants: async (userId, org) =>
      userChanged(userId, await inner.revokeOrganizationGrants(userId, org)),
  };
}
