import type { CoreContext } from '../context.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../entity-errors.js';
import { isId } from '../ids.js';
import type { ApiKey } from './api-key.js';
import { mintApiKey, type CreatedApiKey } from './create-api-key.js';
import { checkMetadata, checkName, checkScopes, checkTier } from './validate.js';

/**
 * The API key with this id.
 * @throws InvalidInputError for a malformed id; NotFoundError when there is none.
 */
export async function findApiKey(ctx: CoreContext, id: string): Promise<ApiKey> {
  if (!isId(id)) throw new InvalidInputError(`"${id}" is not an API key id (a 26-character ULID)`);
  const apiKey = await ctx.repos.apiKeys.findById(id);
  if (!apiKey) throw new NotFoundError('API key', id);
  return apiKey;
}

export interface ApiKeyChanges {
  name?: string;
  scopes?: string[];
  tier?: string;
  metadata?: Record<string, unknown>;
}

/** Changes a key's name, scopes, tier or metadata; every node sees it at once (cache evicted). */
export async function updateApiKey(
  ctx: CoreContext,
  id: string,
  changes: ApiKeyChanges,
): Promise<ApiKey> {
  const apiKey = await findApiKey(ctx, id);
  const updated = await ctx.repos.apiKeys.update(apiKey.id, {
    ...(changes.name !== undefined ? { name: checkName(changes.name) } : {}),
    ...(changes.scopes !== undefined ? { scopes: checkScopes(changes.scopes) } : {}),
    ...(changes.tier !== undefined ? { tier: checkTier(ctx, changes.tier) } : {}),
    ...(changes.metadata !== undefined ? { metadata: checkMetadata(changes.metadata) } : {}),
    updatedAt: ctx.clock.now(),
  });
  if (!updated) throw new NotFoundError('API key', id);
  return updated;
}

/** Revokes a key at once, everywhere; revoking a revoked key changes nothing. */
export async function revokeApiKey(
  ctx: CoreContext,
  id: string,
): Promise<{ apiKey: ApiKey; alreadyRevoked: boolean }> {
  const apiKey = await findApiKey(ctx, id);
  if (apiKey.revokedAt !== null) return { apiKey, alreadyRevoked: true };
  const now = ctx.clock.now();
  const revoked = await ctx.repos.apiKeys.update(apiKey.id, { revokedAt: now, updatedAt: now });
  return { apiKey: revoked ?? apiKey, alreadyRevoked: false };
}

/**
 * Replaces a key: the new key has the same name, scopes, tier, environment, owner, metadata
 * and expiry; the old one keeps working for the grace period (default `rotationGraceHours`),
 * then stops. A key that was rotated or revoked cannot be rotated (again).
 * @throws ConflictError for a rotated or revoked key (also when two rotations race).
 */
export async function rotateApiKey(
  ctx: CoreContext,
  id: string,
  options: { graceHours?: number } = {},
): Promise<CreatedApiKey & { previous: ApiKey }> {
  const old = await findApiKey(ctx, id);
  if (old.rotatedAt !== null)
    throw new ConflictError(
      `API key ${old.id} was already rotated (its successor is ${old.replacedBy})`,
    );
  if (old.revokedAt !== null) throw new ConflictError(`API key ${old.id} is revoked`);
  const graceHours = options.graceHours ?? ctx.config.apiKeys.rotationGraceHours;
  if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > 720)
    throw new InvalidInputError('the grace period is 0 to 720 hours');
  const now = ctx.clock.now();
  const { key, fresh } = mintApiKey(ctx, old.environment);
  const apiKey: ApiKey = { ...old, ...fresh };
  // The old key is claimed first: of two racing rotations exactly one gets a successor.
  if (!(await ctx.repos.apiKeys.markRotated(old.id, apiKey.id, now, now + graceHours * 3_600_000)))
    throw new ConflictError(`API key ${old.id} was rotated or revoked meanwhile`);
  await ctx.repos.apiKeys.insert(apiKey);
  return { key, apiKey, previous: (await ctx.repos.apiKeys.findById(old.id)) ?? old };
}

/**
 * Revokes a user's live keys (those bound to `organizationId` only, when given): a key never
 * outlives its owner's account, password or membership. Returns how many.
 */
export async function revokeUserApiKeys(
  ctx: CoreContext,
  userId: string,
  organizationId?: string,
): Promise<number> {
  const keys = await ctx.repos.apiKeys.list(
    {
      userId,
      ...(organizationId !== undefined ? { organizationId } : {}),
      limit: 100_000,
    },
    ctx.clock.now(),
  );
  for (const key of keys) await revokeApiKey(ctx, key.id);
  return keys.length;
}
