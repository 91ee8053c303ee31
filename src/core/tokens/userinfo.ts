import type { CoreContext } from '../context.js';
import { OAuthError } from '../oauth/errors.js';
import { parseScope } from '../scopes/match.js';
import { userInfoClaims } from './issue-id-token.js';
import { verifyAccessToken } from './verify-access-token.js';

/**
 * OIDC Core §5.3: the claims of the token's user, as its scopes allow.
 * @throws OAuthError invalid_token (401) or insufficient_scope (403, no `openid` scope).
 */
export async function userInfo(
  ctx: CoreContext,
  accessToken: string | undefined,
): Promise<{ claims: Record<string, unknown>; clientId: string }> {
  if (!accessToken) {
    throw new OAuthError('invalid_token', 'a Bearer access token is required', {
      missingCredentials: true,
    });
  }
  const active = await verifyAccessToken(ctx, accessToken);
  if (!active || !active.record.userId)
    throw new OAuthError('invalid_token', 'the access token is invalid');
  const scopes = parseScope(active.claims.scope);
  if (!scopes.includes('openid'))
    throw new OAuthError('insufficient_scope', 'the openid scope is required');
  const user = await ctx.repos.users.findById(active.record.userId);
  if (!user) throw new OAuthError('invalid_token', 'the access token is invalid');
  return { claims: userInfoClaims(user, scopes), clientId: active.record.clientId };
}
