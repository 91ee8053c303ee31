import type { Clock } from '../../core/clock.js';
import type { ClientRepository } from '../../core/clients/client.js';
import type { ScopeRepository } from '../../core/scopes/scope.js';
import type { CacheBus } from '../cache-bus.js';

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
