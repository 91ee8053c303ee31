import type { CoreContext } from '../../context.js';
import { parseScope } from '../../scopes/match.js';
import { resolveRequestedScopes } from '../../scopes/resolve-scopes.js';
import { signIn, type SignInRefusal } from '../../users/sign-in.js';
import { invalidGrant, invalidRequest, tooManyAttempts, type OAuthError } from '../errors.js';
import { issueTokenResponse, type TokenResponse } from '../../tokens/token-response.js';
import type { GrantRequest } from './grant-request.js';

/** The password grant's outcome: tokens, or why the sign-in was refused (nothing issued). */
export type PasswordGrantResult = { ok: true; tokens: TokenResponse } | SignInRefusal;

/**
 * RFC 6749 §4.3 as a value: scopes resolved first (so a bad request spends no sign-in try),
 * then `signIn` with every account rule, and tokens only for an accepted sign-in. Faces that
 * answer a refusal their own way (the auth API) call this; `/oauth/token` calls `passwordGrant`.
 * @throws OAuthError invalid_request (no username or password), invalid_scope.
 */
export async function tryPasswordGrant(
  ctx: CoreContext,
  { client, params, ip }: GrantRequest,
): Promise<PasswordGrantResult> {
  if (!params.username || params.password === undefined) {
    throw invalidRequest('username and password are required');
  }
  const scopes = await resolveRequestedScopes(ctx, client, parseScope(params.scope));
  const result = await signIn(ctx, { email: params.username, password: params.password, ip });
  if (!result.ok) return result;
  const tokens = await issueTokenResponse(ctx, {
    grantType: 'password',
    client,
    user: result.user,
    scopes,
    authTime: ctx.clock.now(),
  });
  return { ok: true, tokens };
}

/**
 * RFC 6749 §5.2's answer to a refused password sign-in. An unverified email is `invalid_grant`
 * too (the credentials are valid but may not be used yet); it is told only after the right
 * password, so it reveals no account.
 */
export function signInRefusalError(refusal: SignInRefusal): OAuthError {
  switch (refusal.reason) {
    case 'throttled':
      return tooManyAttempts(refusal.retryAfterSeconds);
    case 'email_not_verified':
      return invalidGrant(
        'the email address is not verified; follow the link in the confirmation mail first',
      );
    case 'invalid_credentials':
      return invalidGrant('invalid username or password');
  }
}

/** RFC 6749 §4.3: resource owner password credentials, for first-party password clients. */
export async function passwordGrant(
  ctx: CoreContext,
  request: GrantRequest,
): Promise<TokenResponse> {
  const result = await tryPasswordGrant(ctx, request);
  if (!result.ok) throw signInRefusalError(result);
  return result.tokens;
}
