/** `live` keys touch production data; `test` keys are for development, with their own limits. */
export type ApiKeyEnvironment = 'live' | 'test';

export const API_KEY_ENVIRONMENTS: readonly ApiKeyEnvironment[] = ['live', 'test'];

/** An API key as stored: never the key itself, only its SHA-256 digest and a visible prefix. */
export interface ApiKey {
  id: string;
  name: string;
  /** SHA-256 (hex) of the whole key: the lookup key. */
  digest: string;
  /** `sk_live_abcd`: the key's type, environment and first 4 random characters, for display. */
  displayPrefix: string;
  environment: ApiKeyEnvironment;
  /** Scopes the key grants (the grammar of OAuth scopes, wildcards included). */
  scopes: string[];
  /** Rate-limit tier (config `apiKeys.tiers`). */
  tier: string;
  /** The organization (workspace) the key belongs to, if any. */
  organizationId: string | null;
  /** The user the key belongs to, if any. */
  userId: string | null;
  /** Free-form JSON object, returned with the key (owner's notes, ids of their own). */
  metadata: Record<string, unknown>;
  expiresAt: number | null;
  revokedAt: number | null;
  /** Set when the key was rotated: it keeps working until `graceUntil`. */
  rotatedAt: number | null;
  graceUntil: number | null;
  /** The key that replaced this one. */
  replacedBy: string | null;
  lastUsedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ApiKeyListFilter {
  userId?: string;
  organizationId?: string;
  /** Include revoked keys and rotated keys past their grace period. */
  includeInactive?: boolean;
  limit: number;
}

export interface ApiKeyRepository {
  insert(key: ApiKey): Promise<void>;
  findById(id: string): Promise<ApiKey | undefined>;
  findByDigest(digest: string): Promise<ApiKey | undefined>;
  /**
   * The key with this digest from an in-process cache, answered synchronously, or undefined
   * when there is no fresh cached entry (then ask `findByDigest`). Only a caching layer has it:
   * it lets the API-key guard admit a cached key without a promise.
   */
  findCachedByDigest?(digest: string, now: number): ApiKey | undefined;
  list(filter: ApiKeyListFilter, now: number): Promise<ApiKey[]>;
  update(
    id: string,
    patch: Partial<
      Pick<
        ApiKey,
        | 'name'
        | 'scopes'
        | 'tier'
        | 'metadata'
        | 'revokedAt'
        | 'rotatedAt'
        | 'graceUntil'
        | 'replacedBy'
      >
    > & { updatedAt: number },
  ): Promise<ApiKey | undefined>;
  /**
   * Marks `id` rotated (grace until `graceUntil`, replaced by `replacedBy`) only if it was not
   * rotated or revoked already; true for the one caller that did it.
   */
  markRotated(id: string, replacedBy: string, now: number, graceUntil: number): Promise<boolean>;
  /** Deletes keys expired, revoked or past their grace period before `cutoff`; returns how many. */
  deleteDead(cutoff: number, limit: number): Promise<number>;
  countDead(cutoff: number): Promise<number>;
}

/** Requests of one key in one hour (UTC). */
export interface HourlyUsage {
  hour: number;
  requests: number;
}

export interface ApiKeyUsageRepository {
  /** Adds counts (one row per key and hour) and moves each key's last-used time forward. */
  add(
    counts: Array<{ keyId: string; hour: number; requests: number }>,
    lastUsed: Array<{ keyId: string; at: number }>,
  ): Promise<void>;
  hourly(keyId: string, since: number): Promise<HourlyUsage[]>;
}
