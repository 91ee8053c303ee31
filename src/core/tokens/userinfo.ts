import type { CoreContext } from '../context.js';
import type { Caller } from '../authority/caller.js';
import { OAuthError } from '../oauth/errors.js';
import { userInfoClaims } from './issue-id-token.js';

/**
 * OIDC Core §5.3: the claims of the caller's user, as its scopes allow. Only an OAuth access
 * token granted `openid` qualifies; an API key or a service token has no user to describe.
 * @throws OAuthError invalid_token (401) or insufficient_scope (403, no `openid` scope).
 */
export async function userInfo(
  ctx: CoreContext,
  caller: Caller,
): Promise<{ claims: Record<string, unknown>; clientId: string }> {
  if (caller.userId === null || caller.clientId === null || caller.kind === 'api_key')
    throw new OAuthError('insufficient_scope', 'userinfo needs a user access token');
  if (!caller.scopes.includes('openid'))
    throw new OAuthError('insufficient_scope', 'the openid scope is required');
  const user = await ctx.repos.users.findById(caller.userId);
  if (!user) throw new OAuthError('invalid_token', 'the access token is invalid');
  return { claims: userInfoClaims(user, [...caller.scopes]), clientId: caller.clientId };
}
