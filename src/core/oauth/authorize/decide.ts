import type { CoreContext } from '../../context.js';
import { OAuthError } from '../errors.js';
import type { LoginSession } from '../../sessions/login-session.js';
import type { AuthorizationRequest } from './authorization-request.js';

export type AuthorizeDecision =
  { kind: 'login' } | { kind: 'consent' } | { kind: 'issue'; session: LoginSession };

/**
 * What the browser sees next: the login page, the consent page, or the code. With
 * `prompt=none` the missing interaction becomes `login_required` / `consent_required`.
 */
export async function decideAuthorization(
  ctx: CoreContext,
  request: AuthorizationRequest,
  session: LoginSession | undefined,
  options: { freshLogin?: boolean } = {},
): Promise<AuthorizeDecision> {
  const now = ctx.clock.now();
  // A sign-in made by this very request satisfies prompt=login and any max_age (even 0).
  const stale =
    !session ||
    (!options.freshLogin &&
      ((request.maxAge !== null && now - session.authTime > request.maxAge * 1000) ||
        request.prompt.has('login')));
  if (stale) {
    if (request.prompt.has('none'))
      throw new OAuthError('login_required', 'the user is not signed in');
    return { kind: 'login' };
  }
  const consent = request.client.skipConsent
    ? undefined
    : await ctx.repos.consents.find(session.userId, request.client.id);
  const covered =
    request.client.skipConsent ||
    (consent !== undefined && request.scopes.every((s) => consent.scopes.includes(s)));
  if (!covered || request.prompt.has('consent')) {
    if (request.prompt.has('none'))
      throw new OAuthError('consent_required', 'the user has not approved this client');
    return { kind: 'consent' };
  }
  return { kind: 'issue', session };
}
