import type { CoreContext } from '../context.js';
import { digest } from '../secrets.js';
import type { ApiKey } from './api-key.js';
import { isApiKeyShaped } from './key-format.js';
import { effectiveGrants } from '../rbac/authorization.js';
import type { UserGrants } from '../rbac/rbac.js';
import { SELF_SERVICE_PERMISSIONS } from '../authority/permissions.js';
import { intersectScopes } from '../scopes/intersect.js';

/** Why a presented key does not authenticate (the JSON `error` of the 401). */
export type ApiKeyFailureCode = 'invalid_api_key' | 'api_key_expired' | 'api_key_revoked';

export const API_KEY_FAILURE_CODES: readonly ApiKeyFailureCode[] = [
  'invalid_api_key',
  'api_key_expired',
  'api_key_revoked',
];

/** An expected outcome, not an exception: a value the caller switches on (unkey's style). */
export type ApiKeyVerification =
  | {
      valid: true;
      apiKey: ApiKey;
      /** What the key may do now: its scopes ∩ its owner's current grants in its organization. */
      scopes: readonly string[];
    }
  | { valid: false; code: ApiKeyFailureCode; message: string };

const invalid = {
  valid: false,
  code: 'invalid_api_key',
  message: 'the API key is not valid',
} as const;
const revoked = {
  valid: false,
  code: 'api_key_revoked',
  message: 'the API key has been revoked',
} as const;
const expired = {
  valid: false,
  code: 'api_key_expired',
  message: 'the API key has expired',
} as const;
const graceOver = {
  valid: false,
  code: 'api_key_expired',
  message: 'the API key was rotated and its grace period has ended: use the new key',
} as const;

type Verdict = { valid: true; apiKey: ApiKey } | Exclude<ApiKeyVerification, { valid: true }>;

/** Whether a stored key still authenticates at `now`: revocation, expiry, rotation grace. */
function keyVerdict(apiKey: ApiKey | undefined, now: number): Verdict {
  if (!apiKey) return invalid;
  // Revocation is immediate: a node whose clock lags the revoking one's must not wait for it.
  if (apiKey.revokedAt !== null) return revoked;
  if (apiKey.expiresAt !== null && apiKey.expiresAt <= now) return expired;
  if (apiKey.graceUntil !== null && apiKey.graceUntil <= now) return graceOver;
  return { valid: true, apiKey };
}

// Both inputs come from caches that hand out the same objects until a change evicts them, so
// the intersection is computed once per key and grant set, not on every request.
const bounded = new WeakMap<ApiKey, { grants: UserGrants; scopes: readonly string[] }>();

/** A key's power: its scopes ∩ its owner's grants (global, and in the key's organization). */
function keyScopes(apiKey: ApiKey, grants: UserGrants | null): readonly string[] {
  if (grants === null) return apiKey.scopes;
  const memo = bounded.get(apiKey);
  if (memo?.grants === grants) return memo.scopes;
  const held = effectiveGrants(grants, apiKey.organizationId).permissions;
  const scopes = intersectScopes(apiKey.scopes, [...held, ...SELF_SERVICE_PERMISSIONS]);
  bounded.set(apiKey, { grants, scopes });
  return scopes;
}

/**
 * Checks a presented API key: shape, then a lookup by its SHA-256 digest (cached by digest,
 * never by the key), then revocation, expiry and a rotated key's grace period. An unknown key and
 * a wrong one are the same lookup, so they take the same time and get the same answer.
 */
export async function verifyApiKey(
  ctx: CoreContext,
  presented: string,
): Promise<ApiKeyVerification> {
  if (!isApiKeyShaped(presented, ctx.config.apiKeys.prefix)) return invalid;
  const apiKey = await ctx.repos.apiKeys.findByDigest(digest(presented));
  const verdict = keyVerdict(apiKey, ctx.clock.now());
  if (!verdict.valid) return verdict;
  const owner = verdict.apiKey.userId;
  const grants = owner === null ? null : await ctx.repos.rbac.grantsOf(owner);
  return { ...verdict, scopes: keyScopes(verdict.apiKey, grants) };
}

/**
 * `verifyApiKey` answered synchronously when it can be: a malformed key, or a key in the
 * in-process cache. Undefined means the database must be asked (call `verifyApiKey`). The
 * guard's fast path: a cached key is admitted without a promise.
 */
export function verifyApiKeyFromCache(
  ctx: CoreContext,
  presented: string,
  now: number,
): ApiKeyVerification | undefined {
  if (!isApiKeyShaped(presented, ctx.config.apiKeys.prefix)) return invalid;
  const apiKey = ctx.repos.apiKeys.findCachedByDigest?.(digest(presented), now);
  if (!apiKey) return undefined;
  const verdict = keyVerdict(apiKey, now);
  if (!verdict.valid) return verdict;
  if (apiKey.userId === null) return { ...verdict, scopes: apiKey.scopes };
  const grants = ctx.repos.rbac.findCachedGrants?.(apiKey.userId, now);
  return grants ? { ...verdict, scopes: keyScopes(apiKey, grants) } : undefined;
}
