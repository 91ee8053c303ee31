import type { CoreContext } from '../context.js';
import { isId, newId } from '../ids.js';
import { InvalidInputError } from '../entity-errors.js';
import { digest } from '../secrets.js';
import type { ApiKey, ApiKeyEnvironment } from './api-key.js';
import { displayPrefix, generateApiKey, parseApiKey } from './key-format.js';
import {
  checkEnvironment,
  checkExpiry,
  checkMetadata,
  checkName,
  checkScopes,
  checkTier,
} from './validate.js';

export interface CreateApiKeyOptions {
  name: string;
  scopes: string[];
  /** Default: `apiKeys.defaultTier`. */
  tier?: string;
  /** Default `live`. */
  environment?: ApiKeyEnvironment;
  expiresAt?: number | null;
  organizationId?: string | null;
  userId?: string | null;
  metadata?: Record<string, unknown>;
}

export interface CreatedApiKey {
  /** The key itself: returned here once, stored only as its SHA-256 digest. */
  key: string;
  apiKey: ApiKey;
}

/**
 * A new key (`sk_live_…`) and the fields of a fresh record for it: id, digest, display prefix,
 * and a lifecycle that has not started (not revoked, rotated or used).
 */
export function mintApiKey(
  ctx: CoreContext,
  environment: ApiKeyEnvironment,
): {
  key: string;
  fresh: Pick<
    ApiKey,
    | 'id'
    | 'digest'
    | 'displayPrefix'
    | 'revokedAt'
    | 'rotatedAt'
    | 'graceUntil'
    | 'replacedBy'
    | 'lastUsedAt'
    | 'createdAt'
    | 'updatedAt'
  >;
} {
  const now = ctx.clock.now();
  const key = generateApiKey(ctx.config.apiKeys.prefix, environment);
  return {
    key,
    fresh: {
      id: newId(),
      digest: digest(key),
      displayPrefix: displayPrefix(parseApiKey(key, ctx.config.apiKeys.prefix)!),
      revokedAt: null,
      rotatedAt: null,
      graceUntil: null,
      replacedBy: null,
      lastUsedAt: null,
      createdAt: now,
      updatedAt: now,
    },
  };
}

/**
 * The organization a key belongs to, named by id or slug: it must exist, and a key that belongs
 * to a user too may only name an organization the user is a member of.
 */
async function keyOrganization(
  ctx: CoreContext,
  organization: string | null | undefined,
  userId: string | null | undefined,
): Promise<string | null> {
  if (!organization) return null;
  const org = isId(organization)
    ? await ctx.repos.organizations.findById(organization)
    : await ctx.repos.organizations.findBySlug(organization);
  if (!org) throw new InvalidInputError(`organization ${organization} does not exist`);
  if (userId && !(await ctx.repos.organizations.isMember(org.id, userId)))
    throw new InvalidInputError(`the key's user is not a member of ${org.slug}`);
  return org.id;
}

/**
 * Creates an API key (`sk_live_…` / `sk_test_…`).
 * @throws InvalidInputError for a bad name, scope, tier, environment, expiry, metadata or
 *   organization (unknown, or one the key's user is not a member of).
 */
export async function createApiKey(
  ctx: CoreContext,
  options: CreateApiKeyOptions,
): Promise<CreatedApiKey> {
  const environment = checkEnvironment(options.environment ?? 'live');
  const { key, fresh } = mintApiKey(ctx, environment);
  const apiKey: ApiKey = {
    ...fresh,
    name: checkName(options.name),
    environment,
    scopes: checkScopes(options.scopes),
    tier: checkTier(ctx, options.tier ?? ctx.config.apiKeys.defaultTier),
    organizationId: await keyOrganization(ctx, options.organizationId, options.userId),
    userId: options.userId ?? null,
    metadata: checkMetadata(options.metadata ?? {}),
    expiresAt: checkExpiry(ctx, options.expiresAt ?? null),
  };
  await ctx.repos.apiKeys.insert(apiKey);
  return { key, apiKey };
}
