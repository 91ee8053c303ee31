import type { CoreContext } from '../context.js';
import { NotFoundError } from '../entity-errors.js';
import type { Caller } from '../authority/caller.js';
import { API_KEYS_ADMIN } from '../authority/permissions.js';
import { callerMay, requirePermission, requireWithinPower } from '../authority/power.js';
import { findOrganization } from '../rbac/manage-organizations.js';
import type { ApiKey } from './api-key.js';
import { createApiKey, type CreateApiKeyOptions, type CreatedApiKey } from './create-api-key.js';
import { findApiKey, updateApiKey, type ApiKeyChanges } from './manage-api-key.js';
import { checkScopes, checkTier } from './validate.js';

/**
 * API-key management on behalf of a caller (the REST API). A user manages their own keys with
 * `api-keys:read` / `api-keys:write`, which every account holds (a third-party or personal token
 * needs the scope); anyone else's keys, and unowned ones, need `api-keys:admin`. No escalation:
 * a key's scopes must be within the caller's power in the key's organization, and a tier above
 * `apiKeys.maxSelfServiceTier` needs `api-keys:admin`.
 */

/** Whether `tier` ranks above what users may pick for themselves (order of `apiKeys.tiers`). */
function aboveSelfService(ctx: CoreContext, tier: string): boolean {
  const tiers = Object.keys(ctx.config.apiKeys.tiers);
  const max = ctx.config.apiKeys.maxSelfServiceTier ?? ctx.config.apiKeys.defaultTier;
  return tiers.indexOf(tier) > tiers.indexOf(max);
}

/**
 * The caller may give these scopes and this tier to a key in organization `org`. Malformed ones
 * are refused first (400), as creating the key would.
 */
async function requireGrantable(
  ctx: CoreContext,
  caller: Caller,
  changes: { scopes?: string[]; tier?: string },
  org: string | null,
): Promise<void> {
  if (changes.scopes) await requireWithinPower(ctx, caller, checkScopes(changes.scopes), org);
  if (changes.tier !== undefined && aboveSelfService(ctx, checkTier(ctx, changes.tier)))
    await requirePermission(ctx, caller, API_KEYS_ADMIN, null);
}

/** Whether the caller administers every key (`api-keys:admin`). */
export function administersApiKeys(ctx: CoreContext, caller: Caller): Promise<boolean> {
  // Administration of every key is a global grant: an organization's admin holds none of it.
  return callerMay(ctx, caller, API_KEYS_ADMIN, null);
}

/**
 * Creates a key for the caller (or, with `api-keys:admin`, for another user or no user).
 * @throws OAuthError insufficient_scope; InvalidInputError as `createApiKey`.
 */
export async function createApiKeyAs(
  ctx: CoreContext,
  caller: Caller,
  options: Omit<CreateApiKeyOptions, 'userId'> & { userId?: string | null | undefined },
): Promise<CreatedApiKey> {
  const owner = options.userId === undefined ? caller.userId : options.userId;
  if (owner === null || owner !== caller.userId)
    await requirePermission(ctx, caller, API_KEYS_ADMIN, null);
  else await requirePermission(ctx, caller, 'api-keys:write');
  const org = options.organizationId
    ? ((await findOrganization(ctx, options.organizationId).catch(() => undefined))?.id ?? null)
    : null;
  await requireGrantable(
    ctx,
    caller,
    { scopes: options.scopes, tier: options.tier ?? ctx.config.apiKeys.defaultTier },
    org,
  );
  return createApiKey(ctx, { ...options, userId: owner });
}

/**
 * A key the caller may see (`read`) or change (`write`): their own with `api-keys:read|write`,
 * any with `api-keys:admin`; anyone else's looks like no key at all.
 * @throws OAuthError insufficient_scope; NotFoundError; InvalidInputError for a malformed id.
 */
export async function apiKeyOf(
  ctx: CoreContext,
  caller: Caller,
  id: string,
  access: 'read' | 'write',
): Promise<ApiKey> {
  const admin = await administersApiKeys(ctx, caller);
  if (!admin) await requirePermission(ctx, caller, `api-keys:${access}`);
  const key = await findApiKey(ctx, id);
  const own = key.userId !== null && key.userId === caller.userId;
  if (!own && !admin) throw new NotFoundError('API key', id);
  return key;
}

/**
 * Changes a key's name, scopes, tier or metadata under the rules of creating one.
 * @throws as `apiKeyOf` and `updateApiKey`.
 */
export async function updateApiKeyAs(
  ctx: CoreContext,
  caller: Caller,
  id: string,
  changes: ApiKeyChanges,
): Promise<ApiKey> {
  const key = await apiKeyOf(ctx, caller, id, 'write');
  await requireGrantable(ctx, caller, changes, key.organizationId);
  return updateApiKey(ctx, key.id, changes);
}
