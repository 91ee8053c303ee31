import type { Clock } from '../../core/clock.js';
import type { ClientRepository } from '../../core/clients/client.js';
import type { ScopeRepository } from '../../core/scopes/scope.js';

/**
 * Read-through caches for the two lookups every token request makes. Writes through the same
 * repository invalidate at once; a change made by another process (the CLI, another node) is
 * seen within `ttlMs` — the one-second bound DESIGN.md promises for revocations.
 */
export function cachedClients(
  inner: ClientRepository,
  clock: Clock,
  ttlMs: number,
): ClientRepository {
  const entries = new Map<
    string,
    { value: Awaited<ReturnType<ClientRepository['findById']>>; until: number }
  >();
  const MAX = 10_000;
  return {
    ...inner,
    async findById(id) {
      const now = clock.now();
      const hit = entries.get(id);
      if (hit && hit.until > now) return hit.value;
      const value = await inner.findById(id);
      if (entries.size >= MAX) entries.clear();
      entries.set(id, { value, until: now + ttlMs });
      return value;
    },
    async insert(client) {
      entries.delete(client.id);
      await inner.insert(client);
    },
    async update(id, patch) {
      entries.delete(id);
      const updated = await inner.update(id, patch);
      entries.delete(id);
      return updated;
    },
    async delete(id) {
      entries.delete(id);
      const deleted = await inner.delete(id);
      entries.delete(id);
      return deleted;
    },
  };
}

export function cachedScopes(inner: ScopeRepository, clock: Clock, ttlMs: number): ScopeRepository {
  let cached: { value: Awaited<ReturnType<ScopeRepository['list']>>; until: number } | undefined;
  const invalidate = <T>(result: T): T => {
    cached = undefined;
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
    insertMissing: async (scopes) => invalidate(await inner.insertMissing(scopes)),
    upsert: async (scope) => invalidate(await inner.upsert(scope)),
    delete: async (name) => invalidate(await inner.delete(name)),
  };
}
