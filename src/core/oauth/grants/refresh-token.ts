import type { CoreContext } from '../../context.js';
import { digest } from '../../secrets.js';
import { parseScope, scopeAllows } from '../../scopes/match.js';
import { invalidGrant, invalidRequest, invalidScope } from '../errors.js';
import { revokeRefreshFamily } from '../../tokens/refresh-tokens.js';
import { issueTokenResponse, type TokenResponse } from '../../tokens/token-response.js';
import type { GrantRequest } from './grant-request.js';

/**
 * RFC 6749 §6 with rotation (RFC 9700 §4.14.2): every use consumes the token and returns a new
 * one. Presenting a token that was already rotated is treated as theft: the whole family and
 * its access tokens are revoked. Scopes may be narrowed, never widened past the original grant.
 */
export async function refreshTokenGrant(
  ctx: CoreContext,
  { client, params }: GrantRequest,
): Promise<TokenResponse> {
  const token = params.refresh_token;
  if (!token) throw invalidRequest('refresh_token is required');
  const now = ctx.clock.now();
  const tokenDigest = digest(token);
  const seen = await ctx.repos.refreshTokens.findByDigest(tokenDigest);
  const family = seen && (await ctx.repos.refreshTokens.findFamily(seen.familyId));
  // Another client presenting the token learns nothing and burns nothing.
  if (!seen || !family || family.clientId !== client.id) {
    throw invalidGrant('refresh token is invalid, expired, revoked or already used');
  }
  const requested = parseScope(params.scope);
  for (const scope of requested) {
    if (!family.scopes.includes(scope)) {
      throw invalidScope(`scope "${scope}" was not part of the original grant`);
    }
    if (!scopeAllows(client.scopes, scope)) {
      throw invalidScope(`scope "${scope}" is no longer allowed for this client`);
    }
  }
  // Checked before consuming, so a malformed request does not spend a good token.
  if (family.revokedAt !== null || seen.expiresAt <= now) {
    throw invalidGrant('refresh token is invalid, expired, revoked or already used');
  }
  if (!(await ctx.repos.refreshTokens.consume(tokenDigest, now))) {
    await revokeRefreshFamily(ctx, family.id);
    throw invalidGrant('refresh token is invalid, expired, revoked or already used');
  }
  // A scope taken from the client since the grant is not renewed.
  const scopes =
    requested.length > 0 ? requested : family.scopes.filter((s) => scopeAllows(client.scopes, s));
  const user = family.userId ? await ctx.repos.users.findById(family.userId) : undefined;
  if (family.userId && (!user || user.disabledAt !== null)) {
    await revokeRefreshFamily(ctx, family.id);
    throw invalidGrant('the user is no longer active');
  }
  const response = await issueTokenResponse(ctx, {
    grantType: 'refresh_token',
    client,
    user: user ?? null,
    scopes,
    family,
    authTime: family.authTime,
  });
  // A reuse racing this rotation revokes the family first, then its access tokens: one that
  // ran while this token was being written missed it. Finish its work; the response still
  // goes out (one rotation wins), with dead tokens.
  if ((await ctx.repos.refreshTokens.findFamily(family.id))?.revokedAt != null) {
    await revokeRefreshFamily(ctx, family.id);
  }
  return response;
}
