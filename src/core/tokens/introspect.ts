import type { CoreContext } from '../context.js';
import { seconds } from '../clock.js';
import { digest } from '../secrets.js';
import { formatScope } from '../scopes/match.js';
import { verifyAccessToken } from './verify-access-token.js';
import { verifyApiKey } from '../apikeys/verify-api-key.js';
import { looksLikeApiKey } from '../apikeys/key-format.js';

/** RFC 7662 §2.2 response. Inactive tokens say only `{active: false}`, never why. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      scope: string;
      /** Absent for an API key: no OAuth client issued it. */
      client_id?: string;
      token_type: 'Bearer' | 'refresh_token' | 'api_key';
      exp?: number;
      iat: number;
      sub?: string;
      aud?: string | string[];
      iss: string;
      jti?: string;
      username?: string;
      [claim: string]: unknown;
    };

const INACTIVE = { active: false } as const;

/**
 * Introspects an access token (JWT), a refresh token (opaque) or an API key (`sk_live_…`: how
 * resource servers without database access verify keys).
 */
export async function introspectToken(
  ctx: CoreContext,
  token: string,
  hint?: string,
): Promise<IntrospectionResponse> {
  if (looksLikeApiKey(token)) return introspectApiKey(ctx, token);
  const order =
    hint === 'refresh_token'
      ? [introspectRefresh, introspectAccess]
      : [introspectAccess, introspectRefresh];
  for (const attempt of order) {
    const result = await attempt(ctx, token);
    if (result.active) return result;
  }
  return INACTIVE;
}

async function introspectAccess(ctx: CoreContext, token: string): Promise<IntrospectionResponse> {
  const active = await verifyAccessToken(ctx, token);
  if (!active) return INACTIVE;
  const { claims } = active;
  const response: IntrospectionResponse = {
    active: true,
    scope: claims.scope,
    client_id: claims.client_id,
    token_type: 'Bearer',
    exp: claims.exp!,
    iat: claims.iat!,
    sub: claims.sub!,
    aud: claims.aud!,
    iss: claims.iss!,
    jti: claims.jti!,
  };
  for (const claim of [
    'roles',
    'permissions',
    'org',
    'org_roles',
    'org_permissions',
    'auth_time',
  ] as const) {
    if (claims[claim] !== undefined) response[claim] = claims[claim];
  }
  // The email is the user's to share: only a token they granted `email` to reveals it.
  if (active.record.userId && active.record.scopes.includes('email')) {
    const user = await ctx.repos.users.findById(active.record.userId);
    if (user) response.username = user.email;
  }
  return response;
}

async function introspectRefresh(ctx: CoreContext, token: string): Promise<IntrospectionResponse> {
  if (token.length > 512) return INACTIVE;
  const record = await ctx.repos.refreshTokens.findByDigest(digest(token));
  const now = ctx.clock.now();
  if (!record || record.consumedAt !== null || record.expiresAt <= now) return INACTIVE;
  const family = await ctx.repos.refreshTokens.findFamily(record.familyId);
  if (!family || family.revokedAt !== null) return INACTIVE;
  const client = await ctx.repos.clients.findById(family.clientId);
  if (!client || client.revokedAt !== null) return INACTIVE;
  if (family.userId) {
    // The refresh grant refuses a disabled user's token; introspection must agree.
    const user = await ctx.repos.users.findById(family.userId);
    if (!user || user.disabledAt !== null) return INACTIVE;
  }
  return {
    active: true,
    scope: formatScope(record.scopes),
    client_id: family.clientId,
    token_type: 'refresh_token',
    exp: seconds(record.expiresAt),
    iat: seconds(record.createdAt),
    iss: ctx.config.issuer,
    ...(family.userId ? { sub: family.userId } : {}),
  };
}

/**
 * An API key's state and grants. Only validity is answered here: rate limits and usage are
 * counted where the key is verified in-process (`requireApiKey`, a guard with `apiKeys: ctx`).
 */
async function introspectApiKey(ctx: CoreContext, key: string): Promise<IntrospectionResponse> {
  const verification = await verifyApiKey(ctx, key);
  if (!verification.valid) return INACTIVE;
  const { apiKey } = verification;
  return {
    active: true,
    token_type: 'api_key',
    scope: formatScope(verification.scopes),
    sub: apiKey.userId ?? apiKey.id,
    iat: seconds(apiKey.createdAt),
    ...(apiKey.expiresAt !== null ? { exp: seconds(apiKey.expiresAt) } : {}),
    iss: ctx.config.issuer,
    key_id: apiKey.id,
    name: apiKey.name,
    org: apiKey.organizationId,
    tier: apiKey.tier,
    environment: apiKey.environment,
  };
}
