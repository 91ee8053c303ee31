import type { CoreContext } from '../../context.js';
import { OAuthError } from '../errors.js';
import type { LoginSession } from '../../sessions/login-session.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { authorizationRequestDigest } from './request-digest.js';

export type AuthorizeDecision =
  { kind: 'login' } | { kind: 'consent' } | { kind: 'issue'; session: LoginSession };

/** How long a sign-in made for a request carries through its later steps (the consent page). */
const SIGN_IN_CARRIES_MS = 10 * 60_000;

const signedInFor = (request: AuthorizationRequest, session: LoginSession): boolean =>
  session.requestDigest === authorizationRequestDigest(request);

/**
 * True when the request needs a new sign-in: there is no session, the session is another user's
 * than `id_token_hint` names, or the request asks for one (`prompt=login`, or `max_age` older
 * than the session's sign-in). A sign-in made for this very request satisfies the last two
 * (even `max_age=0`), at every step of it: the consent post included.
 */
export function needsSignIn(
  ctx: CoreContext,
  request: AuthorizationRequest,
  session: LoginSession | undefined,
): boolean {
  if (!session) return true;
  if (request.subjectHint !== null && session.userId !== request.subjectHint) return true;
  const age = ctx.clock.now() - session.authTime;
  if (signedInFor(request, session) && age <= SIGN_IN_CARRIES_MS) return false;
  const tooOld = request.maxAge !== null && age > request.maxAge * 1000;
  return tooOld || request.prompt.has('login');
}

/**
 * What the browser sees next: the login page, the consent page, or the code. With
 * `prompt=none` the missing interaction becomes `login_required` / `consent_required`.
 */
export async function decideAuthorization(
  ctx: CoreContext,
  request: AuthorizationRequest,
  session: LoginSession | undefined,
): Promise<AuthorizeDecision> {
  if (!session || needsSignIn(ctx, request, session)) {
    if (request.prompt.has('none'))
      throw new OAuthError('login_required', 'the user is not signed in');
    // Someone else signed in for this very request: OIDC Core §3.1.2.1 answers an error.
    const wrongUser =
      session && request.subjectHint !== null && session.userId !== request.subjectHint;
    if (wrongUser && signedInFor(request, session)) {
      throw new OAuthError(
        'login_required',
        'the signed-in user is not the one id_token_hint names',
      );
    }
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
